// One line from a zod error: "HostConfig.NetworkMode: expected string" — what a user can act
// on, instead of the JSON dump zod prints.
export function describeSchemaError(error: { issues: readonly { path: readonly PropertyKey[]; message: string; code?: string; expected?: unknown }[] }): string {
  return error.issues
    .slice(0, 3)
    .map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.code === 'invalid_type' && i.expected ? `expected ${String(i.expected)}` : i.message}`)
    .join('; ');
}
