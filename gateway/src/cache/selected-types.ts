import {
  type DocumentNode,
  type GraphQLSchema,
  getNamedType,
  isAbstractType,
  isCompositeType,
  TypeInfo,
  visit,
  visitWithTypeInfo,
} from 'graphql';

const LIST_WRAPPER_SUFFIXES = ['Connection', 'Edge'];

/**
 * The entity types an operation selects anywhere — the cache entry's tags, and what a mutation
 * purges. A connection or edge counts as its node type (`SpaceConnection` → `Space`): a new
 * space changes `Municipality.spaces { totalCount }` although no `Space` object is selected.
 * An interface or union counts as every type it may be. Introspection types (`__Type`) are kept
 * as they are: nothing but the TTL changes them.
 */
export function selectedTypesOf(schema: GraphQLSchema, document: DocumentNode): Set<string> {
  const types = new Set<string>();
  const typeInfo = new TypeInfo(schema);
  const add = (name: string) => {
    types.add(name);
    for (const suffix of LIST_WRAPPER_SUFFIXES) {
      const node = name.endsWith(suffix) ? name.slice(0, -suffix.length) : '';
      if (node && schema.getType(node)) types.add(node);
    }
  };
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field() {
        const type = typeInfo.getType();
        if (!type) return;
        const named = getNamedType(type);
        if (!isCompositeType(named)) return;
        add(named.name);
        if (isAbstractType(named)) {
          for (const possible of schema.getPossibleTypes(named)) add(possible.name);
        }
      },
    }),
  );
  return types;
}

/** `selectedTypesOf`, computed once per parsed document (Apollo reuses one per query text). */
export function createSelectedTypes(): (
  schema: GraphQLSchema,
  document: DocumentNode,
) => ReadonlySet<string> {
  const bySchema = new WeakMap<GraphQLSchema, WeakMap<DocumentNode, Set<string>>>();
  return (schema, document) => {
    let byDocument = bySchema.get(schema);
    if (!byDocument) {
      byDocument = new WeakMap();
      bySchema.set(schema, byDocument);
    }
    let types = byDocument.get(document);
    if (!types) {
      types = selectedTypesOf(schema, document);
      byDocument.set(document, types);
    }
    return types;
  };
}
