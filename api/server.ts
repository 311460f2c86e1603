/** `npm run api`: the HTTP API and chat page alone; turns run on the workers. */
import { runRole } from '../workers/role.js';

runRole('api');
