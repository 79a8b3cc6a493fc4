import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Integration tests start real containers; two cores run two files at a time.
    maxWorkers: 2,
    // A safety net: any container a test starts without its own --cgroup-parent still gets a
    // relative one, i.e. lives beneath the test process's own cgroup (never /minidock).
    env: { MINIDOCK_CGROUP_PARENT: `minidock-vitest-${process.pid}` },
  },
});
