import { serviceOf, ZName } from './envelope.js';

// Subjects and streams. `namespace` isolates a whole environment on a shared NATS server
// (tests, several local stacks); production leaves it out.

/** NATS subject of an event type: `hub.<service>.<aggregate>.<event>`. */
export function subjectFor(type: string, namespace?: string): string {
  return `${namespacePrefix(namespace)}hub.${type}`;
}

/** The JetStream stream holding every event of one service, e.g. HUB_SUPPORT_PROGRAMS. */
export function streamFor(
  service: string,
  namespace?: string,
): { name: string; subjects: string[] } {
  const checked = ZName.safeParse(service);
  if (!checked.success) {
    throw new Error(`Invalid service name '${service}': ${checked.error.issues[0]?.message}`);
  }
  const base = `HUB_${toStreamToken(service)}`;
  return {
    name: namespace ? `${toStreamToken(checkNamespace(namespace))}_${base}` : base,
    subjects: [`${namespacePrefix(namespace)}hub.${service}.>`],
  };
}

/** The stream an event type is stored in. */
export function streamForType(
  type: string,
  namespace?: string,
): { name: string; subjects: string[] } {
  return streamFor(serviceOf(type), namespace);
}

function namespacePrefix(namespace: string | undefined): string {
  return namespace ? `${checkNamespace(namespace)}.` : '';
}

function checkNamespace(namespace: string): string {
  const checked = ZName.safeParse(namespace);
  if (!checked.success) {
    throw new Error(`Invalid namespace '${namespace}': ${checked.error.issues[0]?.message}`);
  }
  return namespace;
}

function toStreamToken(name: string): string {
  return name.toUpperCase().replaceAll('-', '_');
}
