/** Request and response schemas of the people and teams routes. */
import { z } from '@hono/zod-openapi';
import { WorkingHours as Hours } from '../domain/hours.js';

const Id = z.string().min(1).max(128);
const Name = z.string().trim().min(1).max(200);
const Email = z.email({ error: 'an email address' }).max(320);

/** domain/hours.ts: when a person takes conversations (mode all|within|outside, time zone, weekly shifts, holidays). */
const WorkingHours = Hours.meta({ id: 'WorkingHours' });

export const UserIdParam = z.object({ userId: Id });
export const TeamIdParam = z.object({ teamId: Id });

export const CreateUser = z.object({
  name: Name,
  email: Email,
  /** Teams of this workspace the person belongs to (their queues). */
  teamIds: z.array(Id).max(100).optional(),
  /** Absent: always available. */
  workingHours: WorkingHours.optional(),
}).strict();

/** Partial update; at least one field. `teamIds` replaces the memberships; `workingHours: null` clears the hours. */
export const UpdateUser = z.object({
  name: Name.optional(),
  email: Email.optional(),
  teamIds: z.array(Id).max(100).optional(),
  workingHours: WorkingHours.nullable().optional(),
}).strict().refine((u) => Object.keys(u).length > 0, { message: 'give at least one of name, email, teamIds or workingHours' });

export const ListUsersQuery = z.object({ teamId: Id.optional() }).strict();

export const User = z.object({
  id: z.string(),
  name: z.string(),
  /** Stored and compared in lower case; unique within the workspace. */
  email: z.string(),
  teamIds: z.array(z.string()),
  workingHours: WorkingHours.optional(),
  /** Within their working hours now (always, without hours): whether a handoff may be routed to them. */
  available: z.boolean(),
  /** Conversations they own now. */
  openConversations: z.number().int(),
  lastAssignedAt: z.string().optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
}).openapi('User');
export const UserList = z.object({ users: z.array(User) });

export const CreateTeam = z.object({ name: Name }).strict();
export const UpdateTeam = z.object({ name: Name }).strict();
export const Team = z.object({ id: z.string(), name: z.string(), createdAt: z.string(), updatedAt: z.string() }).openapi('Team');
export const TeamList = z.object({ teams: z.array(Team) });
