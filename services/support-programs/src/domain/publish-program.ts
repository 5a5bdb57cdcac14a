import { type CommitContext, commit } from '@hub/event-bus';
import type { PrismaClient, Program, ProgramKind } from '../generated/prisma/client.js';
import { parsePublishProgramInput } from './program-input.js';

export type PublishProgramOptions = {
  /** A fixed id (demo data); new programs get a UUID v7. */
  id?: string;
};

/** Publishes a program and announces it (`support-programs.program.published`) in one commit. */
export async function publishProgram(
  db: CommitContext<PrismaClient>,
  input: unknown,
  options: PublishProgramOptions = {},
): Promise<Program> {
  const fields = parsePublishProgramInput(input);
  return commit(db, async (tx, emit) => {
    const program = await tx.program.create({
      data: { ...fields, id: options.id, status: 'PUBLISHED' },
    });
    emit('support-programs.program.published', {
      subject: program.id,
      data: {
        programId: program.id,
        providerId: program.providerId,
        title: program.title,
        kind: kindForEvent(program.kind),
      },
    });
    return program;
  });
}

/** Program kinds travel in events as the database spells them (kebab-case). */
export function kindForEvent(kind: ProgramKind): string {
  return kind.toLowerCase().replaceAll('_', '-');
}

/** Whether applications are taken at `now`: published, and inside the window if it has one. */
export function isAcceptingApplications(program: Program, now: Date = new Date()): boolean {
  if (program.status !== 'PUBLISHED') return false;
  if (program.applicationOpensAt && program.applicationOpensAt.getTime() > now.getTime())
    return false;
  if (program.applicationClosesAt && program.applicationClosesAt.getTime() <= now.getTime())
    return false;
  return true;
}
