/**
 * Where the agent will choose an action ({ action, args } intent) once actions exist. Today none are
 * declared: it records that actions were considered and changes nothing else.
 */
import type { TurnStateType, TurnUpdate } from '../annotation.js';
import { ACTION } from '../names.js';

export function actionNode(_state: TurnStateType): TurnUpdate {
  return { path: [ACTION], scores: { actionsAvailable: 0 } };
}
