// GitHub's own workflow parser and expression evaluator behind a JSON-lines pipe.
//
// One request per line on stdin, one answer per line on stdout, in order:
//   {"id": 1, "op": "parse", "name": "award.yml", "content": "..."}
//     -> the workflow as plain JSON: GitHub's converted events and job `if:` conditions, and the
//        raw token tree of every other key, expressions kept as {"$expr": "..."} (a string with
//        ${{ }} inside arrives as GitHub compiles it, e.g. format('a-{0}', github.ref)).
//   {"id": 2, "op": "eval", "value": <json with $expr>, "context": {...}, "status": "success"}
//     -> the value with every expression evaluated (objects, lists and strings as Actions sees
//        them); with "truthy": true, whether the single expression holds.
//   Errors answer {"id": n, "error": "..."}.
import { register } from "node:module";
import { createInterface } from "node:readline";

register("./json-imports.mjs", import.meta.url);

const { parseWorkflow, convertWorkflowTemplate, NoOperationTraceWriter } = await import(
  "@actions/workflow-parser"
);
const { Lexer, Parser, Evaluator, data } = await import("@actions/expressions");
const { truthy } = await import("@actions/expressions/result");

function tokenJson(token) {
  if (token === undefined || token === null) return null;
  switch (token.templateTokenType) {
    case 0: // String
      return token.value;
    case 5: // Boolean
    case 6: // Number
      return token.value;
    case 7: // Null
      return null;
    case 3: // BasicExpression
      return { $expr: token.expression };
    case 4: // InsertExpression
      return { $insert: true };
    case 1: {
      const out = [];
      for (let i = 0; i < token.count; i++) out.push(tokenJson(token.get(i)));
      return out;
    }
    case 2: {
      const out = {};
      for (let i = 0; i < token.count; i++) {
        const pair = token.get(i);
        const key = pair.key.templateTokenType === 0 ? pair.key.value : JSON.stringify(tokenJson(pair.key));
        out[key] = tokenJson(pair.value);
      }
      return out;
    }
    default:
      throw new Error(`unknown token type ${token.templateTokenType}`);
  }
}

async function parse({ name, content }) {
  const parsed = parseWorkflow({ name, content }, new NoOperationTraceWriter());
  const errors = parsed.context.errors.getErrors().map(e => e.message);
  if (errors.length || !parsed.value) return { errors };
  const template = await convertWorkflowTemplate(parsed.context, parsed.value);
  const more = (template.errors || []).map(e => e.Message);
  if (more.length) return { errors: more };
  const raw = tokenJson(parsed.value);
  const jobs = template.jobs.map(job => {
    const rawJob = raw.jobs[job.id.value];
    return {
      ...rawJob,
      id: job.id.value,
      if: job.if ? job.if.expression : "success()",
      needs: (job.needs || []).map(n => n.value),
      steps: job.type === "job" ? job.steps.map((step, i) => ({
        ...rawJob.steps[i],
        id: step.id,
        if: step.if ? step.if.expression : "success()",
      })) : [],
      type: job.type,
    };
  });
  return { errors: [], name: raw.name ?? null, events: template.events, raw, jobs };
}

function revive(value) {
  return JSON.parse(JSON.stringify(value ?? {}), data.reviver);
}

function statusFunctions(status) {
  const f = (name, value) => [name, { name, minArgs: 0, maxArgs: 0, call: () => new data.BooleanData(value) }];
  return new Map([
    f("success", status === "success"),
    f("failure", status === "failure"),
    f("cancelled", status === "cancelled"),
    f("always", true),
  ]);
}

function evaluateExpression(expression, context, names, functions) {
  const lexed = new Lexer(expression).lex();
  const tree = new Parser(lexed.tokens, names, [...functions.values()]).parse();
  return new Evaluator(tree, context, functions).evaluate();
}

function plain(result) {
  return JSON.parse(JSON.stringify(result, data.replacer));
}

function evaluate({ value, context, status, truthy: asBoolean }) {
  const dict = revive(context);
  const names = Object.keys(context || {});
  const functions = statusFunctions(status || "success");
  if (asBoolean) {
    return truthy(evaluateExpression(value, dict, names, functions));
  }
  const walk = node => {
    if (Array.isArray(node)) return node.map(walk);
    if (node && typeof node === "object") {
      if ("$expr" in node) {
        const result = evaluateExpression(node.$expr, dict, names, functions);
        return plain(result);
      }
      const out = {};
      for (const [k, v] of Object.entries(node)) out[k] = walk(v);
      return out;
    }
    return node;
  };
  return walk(value);
}

const ops = { parse, eval: evaluate };
const lines = createInterface({ input: process.stdin });
for await (const line of lines) {
  if (!line.trim()) continue;
  let request;
  try {
    request = JSON.parse(line);
    const result = await ops[request.op](request);
    process.stdout.write(JSON.stringify({ id: request.id, result }) + "\n");
  } catch (err) {
    process.stdout.write(JSON.stringify({ id: request?.id ?? null, error: String(err?.stack || err) }) + "\n");
  }
}
