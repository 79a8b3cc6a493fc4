// docker ps columns: STATUS (moby State.String), ID, COMMAND, NAMES and PORTS.
import { describe, expect, it } from 'vitest';
import { renderPorts } from '../../../src/cli/format/ports.js';
import {
  commandSummary,
  renderCommandColumn,
  renderNamesColumn,
  renderStatus,
  stateName,
  truncateID,
  type StatusInput,
} from '../../../src/cli/format/status.js';

const NOW = 1_700_000_000_000;
const ago = (ms: number) => NOW - ms;

describe('STATUS and STATE', () => {
  it.each<[StatusInput, string, string]>([
    [{ running: false, exitCode: 0 }, 'Created', 'created'],
    [{ running: true, exitCode: 0, startedAt: ago(3000) }, 'Up 3 seconds', 'running'],
    [{ running: true, exitCode: 0, startedAt: ago(200) }, 'Up Less than a second', 'running'],
    [{ running: true, paused: true, exitCode: 0, startedAt: ago(120_000) }, 'Up 2 minutes (Paused)', 'paused'],
    [{ running: true, exitCode: 0, startedAt: ago(300_000), health: 'healthy' }, 'Up 5 minutes (healthy)', 'running'],
    [{ running: true, exitCode: 0, startedAt: ago(5000), health: 'starting' }, 'Up 5 seconds (health: starting)', 'running'],
    [{ running: true, exitCode: 0, startedAt: ago(5000), health: 'unhealthy' }, 'Up 5 seconds (unhealthy)', 'running'],
    [{ running: false, exitCode: 0, startedAt: ago(300_000), finishedAt: ago(120_000) }, 'Exited (0) 2 minutes ago', 'exited'],
    [{ running: false, exitCode: 137, startedAt: ago(9e6), finishedAt: ago(7.2e6) }, 'Exited (137) 2 hours ago', 'exited'],
    [{ running: true, restarting: true, exitCode: 1, startedAt: ago(9000), finishedAt: ago(3000) }, 'Restarting (1) 3 seconds ago', 'restarting'],
    [{ running: false, removalInProgress: true, exitCode: 0, startedAt: ago(1) }, 'Removal In Progress', 'removing'],
    [{ running: false, dead: true, exitCode: 0, startedAt: ago(1) }, 'Dead', 'dead'],
  ])('%j', (s, status, state) => {
    expect(renderStatus(s, NOW)).toBe(status);
    expect(stateName(s)).toBe(state);
  });
});

describe('columns', () => {
  it('truncates IDs to 12 characters, dropping the algorithm', () => {
    expect(truncateID('sha256:3f2a0b1c2d3e4f5a6b7c8d9e')).toBe('3f2a0b1c2d3e');
    expect(truncateID('3f2a0b1c2d3e4f5a')).toBe('3f2a0b1c2d3e');
    expect(truncateID('abc')).toBe('abc');
  });

  it('builds the command summary as the daemon does', () => {
    expect(commandSummary('sh', ['-c', 'echo hi'])).toBe("sh -c 'echo hi'");
    expect(commandSummary('/bin/true', [])).toBe('/bin/true');
  });

  it.each([
    ["sh -c 'echo hi'", true, `"sh -c 'echo hi'"`],
    ["sh -c 'echo hello world; sleep 10'", true, `"sh -c 'echo hello w…"`],
    ["sh -c 'echo hello world; sleep 10'", false, `"sh -c 'echo hello world; sleep 10'"`],
    ['printf "a\tb"', false, '"printf \\"a\\tb\\""'],
    ['/docker-entrypoint.sh nginx -g daemon off;', true, '"/docker-entrypoint.…"'],
  ])('COMMAND of %j (trunc %s)', (cmd, trunc, expected) => {
    expect(renderCommandColumn(cmd, trunc)).toBe(expected);
  });

  it('NAMES skips legacy link aliases when truncated', () => {
    expect(renderNamesColumn(['/other/alias', '/web'], true)).toBe('web');
    expect(renderNamesColumn(['/web', '/other/alias'], false)).toBe('web,other/alias');
  });
});

describe('PORTS (DisplayablePorts)', () => {
  it.each([
    [[], ''],
    [[{ PrivatePort: 80, Type: 'tcp' }], '80/tcp'],
    [[{ IP: '0.0.0.0', PrivatePort: 80, PublicPort: 8080, Type: 'tcp' }], '0.0.0.0:8080->80/tcp'],
    [
      [
        { IP: '0.0.0.0', PrivatePort: 80, PublicPort: 8080, Type: 'tcp' },
        { IP: '::', PrivatePort: 80, PublicPort: 8080, Type: 'tcp' },
      ],
      '0.0.0.0:8080->80/tcp, [::]:8080->80/tcp',
    ],
    [
      [
        { PrivatePort: 9988, Type: 'tcp' },
        { PrivatePort: 9990, Type: 'tcp' },
        { PrivatePort: 9989, Type: 'tcp' },
        { PrivatePort: 53, Type: 'udp' },
      ],
      '53/udp, 9988-9990/tcp',
    ],
    [
      [
        { IP: '0.0.0.0', PrivatePort: 6000, PublicPort: 6000, Type: 'tcp' },
        { IP: '0.0.0.0', PrivatePort: 6001, PublicPort: 6001, Type: 'tcp' },
        { IP: '0.0.0.0', PrivatePort: 9090, PublicPort: 9090, Type: 'udp' },
      ],
      '0.0.0.0:6000-6001->6000-6001/tcp, 0.0.0.0:9090->9090/udp',
    ],
    [
      [
        { PrivatePort: 80, Type: 'tcp' },
        { PrivatePort: 82, Type: 'tcp' },
        { PrivatePort: 83, Type: 'tcp' },
      ],
      '80/tcp, 82-83/tcp',
    ],
  ])('%j', (ports, expected) => {
    expect(renderPorts(ports)).toBe(expected);
  });
});
