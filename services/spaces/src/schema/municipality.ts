import { assertMunicipalityCode, requestLoader, resolveGroupedConnection } from '@hub/service-kit';
import type { SpacesContext } from '../builder.js';
import { builder } from '../builder.js';
import { SPACE_ORDER, SpaceConnection, SpaceRef } from './space.js';

export const MunicipalityRef = builder.prismaObject('Municipality', {
  description:
    '市区町村 — 全国地方公共団体コード(チェックディジット付き6桁)で識別 (a municipality, keyed by its 6-digit local government code)',
  fields: (t) => ({
    // The code is the municipality's identity: clients cache it as Municipality:<code>.
    id: t.exposeID('code', {
      description: 'ID — 全国地方公共団体コードと同じ (the local government code, as an id)',
    }),
    code: t.exposeString('code', {
      description: '全国地方公共団体コード (6桁) — local government code',
    }),
    name: t.exposeString('name', { description: '名称 (name)' }),
    nameKana: t.exposeString('nameKana', {
      nullable: true,
      description: '名称かな (name in kana)',
    }),
    nameEn: t.exposeString('nameEn', { nullable: true, description: '英語名 (English name)' }),
    prefecture: t.exposeString('prefecture', { description: '都道府県 (prefecture)' }),
    // A connection of its own rather than t.relatedConnection: the kit checks its arguments
    // before any query runs, and one query serves every municipality of the request.
    spaces: t.connection(
      {
        type: SpaceRef,
        description: 'この市区町村の拠点 — 名称順 (spaces in this municipality, by name)',
        resolve: (municipality, args, context) =>
          resolveGroupedConnection(context, 'spacesByMunicipality', {
            parent: municipality.code,
            args,
            fetch: (codes) =>
              context.prisma.space.findMany({
                where: { municipalityCode: { in: [...codes] } },
                orderBy: SPACE_ORDER,
              }),
            groupOf: (space) => space.municipalityCode,
          }),
      },
      SpaceConnection,
    ),
    spaceCount: t.relationCount('spaces', { description: '拠点数 (number of spaces)' }),
  }),
});

export function municipalityLoader(context: SpacesContext) {
  return requestLoader(context, 'municipalityByCode', {
    fetch: (codes: readonly string[]) =>
      context.prisma.municipality.findMany({ where: { code: { in: [...codes] } } }),
    keyOf: (municipality) => municipality.code,
  });
}

builder.asEntity(MunicipalityRef, {
  key: builder.selection<{ code: string }>('code'),
  resolveReference: (ref, context) => municipalityLoader(context).load(ref.code),
});

builder.queryFields((t) => ({
  municipality: t.prismaField({
    type: 'Municipality',
    nullable: true,
    description: 'コードで市区町村を取得 (a municipality by its code)',
    args: { code: t.arg.string({ required: true, description: '全国地方公共団体コード' }) },
    resolve: (query, _root, { code }, context) => {
      assertMunicipalityCode(code, 'code');
      return context.prisma.municipality.findUnique({ ...query, where: { code } });
    },
  }),
  municipalities: t.prismaField({
    type: ['Municipality'],
    description: '市区町村の一覧 (municipalities, optionally of one prefecture)',
    args: { prefecture: t.arg.string({ required: false, description: '都道府県名 (prefecture)' }) },
    resolve: (query, _root, { prefecture }, context) =>
      context.prisma.municipality.findMany({
        ...query,
        where: prefecture ? { prefecture } : {},
        orderBy: { code: 'asc' },
      }),
  }),
}));
