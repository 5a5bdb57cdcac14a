import { z } from 'zod';

/**
 * Who may see a member's profile fields (docs/authorization.md): PUBLIC anyone, MEMBERS
 * signed-in members, STAFF only the member, hub admins and staff of an organisation the member
 * is registered with. Members owns the setting; other services keep a copy from its events to
 * apply the same rule (a service without the copy treats it as STAFF, the strictest).
 */
export const PROFILE_VISIBILITIES = ['PUBLIC', 'MEMBERS', 'STAFF'] as const;
export const ZProfileVisibility = z.enum(PROFILE_VISIBILITIES);
export type TProfileVisibility = z.infer<typeof ZProfileVisibility>;
