// Node 20 needs `with {type: "json"}` to import JSON; @actions/workflow-parser imports its schema
// bare. This loader hook adds the attribute to every .json import (registered by bridge.mjs).
export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  if (resolved.url.endsWith(".json")) {
    return { ...resolved, importAttributes: { ...context.importAttributes, type: "json" } };
  }
  return resolved;
}
