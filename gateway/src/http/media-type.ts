/**
 * The media type of a GraphQL answer (GraphQL over HTTP): `application/graphql-response+json`
 * unless the client accepts only `application/json`. With the former, clients trust the body of
 * a non-2xx answer as a GraphQL response (Apollo Client 4 then shows its `errors[]` with their
 * codes); with the latter they may not, as a proxy could have written it.
 */
export type GraphQLMediaType = 'application/graphql-response+json' | 'application/json';

const PREFERENCE: GraphQLMediaType[] = ['application/graphql-response+json', 'application/json'];

/**
 * The media type to answer a request with, from its `Accept` header, or null when it accepts
 * neither (406). No header means `application/graphql-response+json` (the specification's
 * default since 2025); on equal preference, and for wildcards, that one wins too.
 */
export function negotiateMediaType(accept: string | undefined): GraphQLMediaType | null {
  if (accept === undefined || accept.trim() === '') return PREFERENCE[0]!;
  const ranges = parseAccept(accept);
  let best: { type: GraphQLMediaType; quality: number } | null = null;
  for (const type of PREFERENCE) {
    const quality = qualityOf(type, ranges);
    if (quality > 0 && (best === null || quality > best.quality)) best = { type, quality };
  }
  return best?.type ?? null;
}

type MediaRange = { type: string; subtype: string; quality: number };

function parseAccept(accept: string): MediaRange[] {
  const ranges: MediaRange[] = [];
  for (const part of accept.split(',')) {
    const [range = '', ...parameters] = part.split(';').map((piece) => piece.trim());
    const [type, subtype] = range.toLowerCase().split('/');
    if (!type || !subtype) continue;
    let quality = 1;
    for (const parameter of parameters) {
      const [name, value] = parameter.split('=').map((piece) => piece.trim());
      if (name?.toLowerCase() === 'q') {
        const parsed = Number(value);
        quality = Number.isFinite(parsed) ? Math.min(Math.max(parsed, 0), 1) : 0;
      }
    }
    ranges.push({ type, subtype, quality });
  }
  return ranges;
}

/** The quality the most specific matching range gives `mediaType` (RFC 9110 §12.5.1), 0 if none. */
function qualityOf(mediaType: GraphQLMediaType, ranges: MediaRange[]): number {
  const [type, subtype] = mediaType.split('/') as [string, string];
  let specificity = -1;
  let quality = 0;
  for (const range of ranges) {
    const rank =
      range.type === type && range.subtype === subtype
        ? 2
        : range.type === type && range.subtype === '*'
          ? 1
          : range.type === '*' && range.subtype === '*'
            ? 0
            : -1;
    if (rank > specificity) {
      specificity = rank;
      quality = range.quality;
    }
  }
  return quality;
}
