import { createEvent, writeOutbox } from '@hub/event-bus';
import { AppError, assertMunicipalityCode, parseInput } from '@hub/service-kit';
import { z } from 'zod';
import type { Member, PrismaClient } from '../generated/prisma/client.js';
import { findSkill } from './skill-taxonomy.js';

const MEMBER_KINDS = [
  'FREELANCER',
  'SMALL_BUSINESS',
  'STUDENT',
  'FOUNDER',
  'TELEWORKER',
  'EMPLOYEE',
] as const;

export const ZRegisterMember = z.object({
  id: z.uuid().optional(),
  displayName: z.string().trim().min(1).max(100),
  displayNameKana: z.string().trim().max(100).nullish(),
  kind: z.enum(MEMBER_KINDS),
  bio: z.string().max(2000).nullish(),
  aspiration: z.string().max(2000).nullish(),
  municipalityCode: z.string().nullish(),
  skills: z
    .array(z.object({ code: z.string(), level: z.number().int().min(1, '1〜5').max(5, '1〜5') }))
    .max(50)
    .default([]),
});
export type TRegisterMember = z.input<typeof ZRegisterMember>;

/** Registers a member and announces it (`members.member.registered`) in the same transaction. */
export async function registerMember(prisma: PrismaClient, input: unknown): Promise<Member> {
  const fields = parseInput(ZRegisterMember, input);
  if (fields.municipalityCode != null) assertMunicipalityCode(fields.municipalityCode);
  const seen = new Set<string>();
  for (const [i, skill] of fields.skills.entries()) {
    if (!findSkill(skill.code)) {
      throw new AppError('BAD_USER_INPUT', `不明なスキルです: ${skill.code} (unknown skill)`, {
        field: `skills.${i}.code`,
      });
    }
    if (seen.has(skill.code)) {
      throw new AppError(
        'BAD_USER_INPUT',
        `スキルが重複しています: ${skill.code} (duplicate skill)`,
        { field: `skills.${i}.code` },
      );
    }
    seen.add(skill.code);
  }
  const { skills, ...memberFields } = fields;
  return prisma.$transaction(async (tx) => {
    const member = await tx.member.create({
      data: {
        ...memberFields,
        skills: { create: skills.map((s) => ({ skillCode: s.code, level: s.level })) },
      },
    });
    await writeOutbox(tx, [
      createEvent('members.member.registered', {
        source: 'members',
        subject: member.id,
        data: {
          memberId: member.id,
          displayName: member.displayName,
          displayNameKana: member.displayNameKana,
          kind: kindForEvent(member.kind),
          municipalityCode: member.municipalityCode,
          skills: skills.map((s) => ({ code: s.code, level: s.level })),
        },
      }),
    ]);
    return member;
  });
}

function kindForEvent(kind: Member['kind']) {
  return kind.toLowerCase().replaceAll('_', '-') as
    | 'freelancer'
    | 'small-business'
    | 'student'
    | 'founder'
    | 'teleworker'
    | 'employee';
}
