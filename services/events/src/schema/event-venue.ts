import { builder } from '../builder.js';

export const EventVenueRef = builder.prismaObject('EventVenue', {
  description: '会場 — 拠点 (Space) か外部の場所 (a venue: a space, or an outside place)',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'ID (UUID)' }),
    placeName: t.exposeString('placeName', {
      nullable: true,
      description: '外部会場の名称 (name of an outside place)',
    }),
    municipalityCode: t.exposeString('municipalityCode', {
      nullable: true,
      description: '会場の市区町村コード (municipality code of the venue, when known)',
    }),
    capacity: t.exposeInt('capacity', { nullable: true, description: '定員 (capacity, people)' }),
    streamUrl: t.exposeString('streamUrl', {
      nullable: true,
      description: '中継 URL — 同時開催の会場をつなぐ (stream URL linking simultaneous venues)',
    }),
  }),
});
