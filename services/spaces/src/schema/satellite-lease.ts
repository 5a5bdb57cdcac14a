import { isoDate } from '@hub/contracts';
import { ConflictError, defineMutation, InvalidInputError, NotFoundError } from '@hub/service-kit';
import { builder } from '../builder.js';
import { endSatelliteLease } from '../domain/end-satellite-lease.js';
import { leaseSatelliteOffice } from '../domain/lease-satellite-office.js';
import { OrganizationRef } from './organization.js';
import { operatorStaffScopes, roomStaffScopes } from './room.js';

export const SatelliteLeaseRef = builder.prismaObject('SatelliteLease', {
  description:
    'サテライトオフィスの貸出 — 入居組織と期間 (a satellite office let to a tenant organisation for a period)',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'ID (UUID)' }),
    room: t.relation('room', { description: '部屋 (the room)' }),
    tenant: t.field({
      type: OrganizationRef,
      description: '入居組織 (tenant organisation)',
      resolve: (lease) => ({ id: lease.tenantOrganizationId }),
    }),
    startsOn: t.field({
      type: 'Date',
      description: '開始日 (first day, Asia/Tokyo)',
      resolve: (lease) => isoDate(lease.startsOn),
    }),
    endsOn: t.field({
      type: 'Date',
      nullable: true,
      description:
        '終了日 — この日まで。未定なら null (last day, inclusive; null while open-ended)',
      resolve: (lease) => (lease.endsOn ? isoDate(lease.endsOn) : null),
    }),
  }),
});

const LeaseSatelliteOfficeInput = builder.inputType('LeaseSatelliteOfficeInput', {
  description: 'サテライトオフィスの貸出内容 (a satellite office let to a tenant)',
  fields: (t) => ({
    roomId: t.id({ required: true, description: '部屋 ID (room id)' }),
    tenantOrganizationId: t.id({
      required: true,
      description: '入居組織 ID (tenant organisation id)',
    }),
    startsOn: t.field({ type: 'Date', required: true, description: '開始日 (first day)' }),
    endsOn: t.field({
      type: 'Date',
      required: false,
      description: '終了日 — 未定なら省略 (last day, inclusive; omit while open-ended)',
    }),
  }),
});

defineMutation(builder, 'leaseSatelliteOffice', {
  description:
    'サテライトオフィスを組織に貸し出す。期間が重なる貸出はできない。拠点の運営組織のスタッフまたはハブ管理者のみ (let a satellite office to an organisation; periods must not overlap. Staff of the space’s operator or hub admins)',
  input: { type: LeaseSatelliteOfficeInput, description: '貸出内容 (the lease)' },
  success: {
    field: 'lease',
    type: SatelliteLeaseRef,
    description: '登録した貸出 (the new lease)',
  },
  errors: [InvalidInputError, NotFoundError, ConflictError],
  authScopes: (input, context) => roomStaffScopes(String(input.roomId), context),
  resolve: (input, context) => leaseSatelliteOffice(context, input),
});

const EndSatelliteLeaseInput = builder.inputType('EndSatelliteLeaseInput', {
  description: 'サテライトオフィスの貸出の早期終了 (a satellite-office lease to end early)',
  fields: (t) => ({
    leaseId: t.id({ required: true, description: '貸出 ID (lease id)' }),
    endsOn: t.field({
      type: 'Date',
      required: true,
      description:
        '新しい終了日 — この日まで。開始日以降、今の終了日より前 (new last day, inclusive: on or after the first day, before the current last day)',
    }),
  }),
});

defineMutation(builder, 'endSatelliteLease', {
  description:
    'サテライトオフィスの貸出を早めに終える — 終了日を前倒しする (延長はできない: 次の貸出と重なりうるため)。拠点の運営組織のスタッフまたはハブ管理者のみ (end a satellite-office lease early by bringing its last day forward; it cannot be extended, which could overlap the next lease. Staff of the space’s operator or hub admins)',
  input: { type: EndSatelliteLeaseInput, description: '貸出と終了日 (the lease and its last day)' },
  success: {
    field: 'lease',
    type: SatelliteLeaseRef,
    description: '終了日を改めた貸出 (the lease with its new last day)',
  },
  errors: [InvalidInputError, NotFoundError, ConflictError],
  authScopes: async (input, context) => {
    const lease = await context.prisma.satelliteLease.findUnique({
      where: { id: String(input.leaseId) },
      select: { room: { select: { space: { select: { operatorId: true } } } } },
    });
    return operatorStaffScopes(lease?.room.space.operatorId);
  },
  resolve: (input, context) => endSatelliteLease(context, input),
});
