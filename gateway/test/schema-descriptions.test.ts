import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { Kind, parse, type TypeDefinitionNode } from 'graphql';

// Partners integrate by reading the schema: every type, field, argument and enum value of the
// composed API carries a description (Japanese first, English alongside).
const supergraph = parse(readFileSync(new URL('../supergraph.graphql', import.meta.url), 'utf8'));
const isFederationInternal = (name: string) =>
  /^(join__|link__)/.test(name) || name === 'link__Purpose';

function undescribed(): string[] {
  const missing: string[] = [];
  for (const definition of supergraph.definitions) {
    if (
      !('name' in definition) ||
      !definition.name ||
      definition.kind === Kind.DIRECTIVE_DEFINITION
    )
      continue;
    const type = definition as TypeDefinitionNode;
    const name = type.name.value;
    if (isFederationInternal(name)) continue;
    if (!['Query', 'Mutation'].includes(name) && !type.description) missing.push(name);
    const fields = 'fields' in type ? (type.fields ?? []) : [];
    for (const field of fields) {
      if (!field.description) missing.push(`${name}.${field.name.value}`);
      for (const argument of 'arguments' in field ? (field.arguments ?? []) : []) {
        if (!argument.description)
          missing.push(`${name}.${field.name.value}(${argument.name.value})`);
      }
    }
    for (const value of 'values' in type ? (type.values ?? []) : []) {
      if (!value.description) missing.push(`${name}.${value.name.value}`);
    }
  }
  return missing;
}

describe('the composed schema', () => {
  it('describes every type, field, argument and enum value', () => {
    expect(undescribed()).toEqual([]);
  });
});

// Partners read the public schema's descriptions: they say what happens in the partner's terms,
// never how the hub wires it internally (event subjects such as `events.event.published`,
// `member.registered` or `hub.members.member.registered`, the outbox, NATS, consumers…).
const URL_PATTERN = /\bhttps?:\/\/\S+/g;
// Dotted lowercase words of two letters or more each: an event type or bus subject. `e.g.` and
// `i.e.` have one-letter parts; URLs are removed first; `Type.field` starts upper-case.
const BUS_SUBJECT =
  /(?<![\w.@/-])[a-z][a-z0-9]+(?:-[a-z0-9]+)*(?:\.[a-z][a-z0-9]+(?:-[a-z0-9]+)*)+(?![\w-])/;
const MESSAGING_JARGON =
  /\b(outbox|inbox|NATS|JetStream|consumers?|dead[- ]letters?|read models?)\b|読み取りモデル|アウトボックス|コンシューマ/i;

// Paths a client reads in answers are not internal: an error's `field` (`input.email`) and
// `extensions.code`.
const CLIENT_PATH = /\b(?:input|extensions)\.[\w.]+/g;

function internalWording(description: string): string | undefined {
  const text = description.replace(URL_PATTERN, '').replace(CLIENT_PATH, '');
  return BUS_SUBJECT.exec(text)?.[0] ?? MESSAGING_JARGON.exec(text)?.[0];
}

function publicDescriptions(): { at: string; description: string }[] {
  const document = parse(
    readFileSync(new URL('../public-schema.graphql', import.meta.url), 'utf8'),
  );
  const found: { at: string; description: string }[] = [];
  const add = (at: string, node: { description?: { value: string } }) => {
    if (node.description) found.push({ at, description: node.description.value });
  };
  for (const definition of document.definitions) {
    if (!('name' in definition) || !definition.name) continue;
    const type = definition as TypeDefinitionNode;
    const name = type.name.value;
    add(name, type);
    for (const field of 'fields' in type ? (type.fields ?? []) : []) {
      add(`${name}.${field.name.value}`, field);
      for (const argument of 'arguments' in field ? (field.arguments ?? []) : []) {
        add(`${name}.${field.name.value}(${argument.name.value})`, argument);
      }
    }
    for (const value of 'values' in type ? (type.values ?? []) : []) {
      add(`${name}.${value.name.value}`, value);
    }
  }
  return found;
}

describe('the public schema’s descriptions', () => {
  it('name no internal event subject and use no messaging jargon', () => {
    const descriptions = publicDescriptions();
    const offending = descriptions.flatMap(({ at, description }) => {
      const wording = internalWording(description);
      return wording ? [`${at}: “${wording}”`] : [];
    });

    expect(descriptions.length).toBeGreaterThan(500);
    expect(offending).toEqual([]);
  });

  it.each([
    'イベントを公開する — events.event.published を発行',
    'publishes member.registered.',
    'hub.members.member.registered',
    'matching.work-order.posted',
    'written to the outbox',
    'matching’s read model of a member',
    '会員イベントから作る読み取りモデル',
  ])('would catch “%s”', (description) => {
    expect(internalWording(description)).toBeDefined();
  });

  it.each([
    '例 2026-01-15T10:00:00.000Z (e.g. an instant)',
    'RFC 3339 (https://datatracker.ietf.org/doc/html/rfc3339#section-5.6)',
    'the id of `EventVenue.id`, i.e. the venue',
    '最大 2048 文字 (at most 2048 characters)',
  ])('lets “%s” pass', (description) => {
    expect(internalWording(description)).toBeUndefined();
  });
});
