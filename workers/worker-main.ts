/** `npm run worker`: the Temporal worker alone (conversation turns and bookkeeping). */
import { runRole } from './role.js';

runRole('worker');
