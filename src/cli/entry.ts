// Process entry point (bundled as dist/main.js). Kept apart from main.ts so tests can import main.
import { main } from './main.js';

process.exitCode = await main(process.argv.slice(2));
