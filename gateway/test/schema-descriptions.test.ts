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
