// The query compiler runtime the generated clients of `engineType = "client"` load (Prisma 6.19
// ships no types for it); only what query-plan-cache.ts touches.
declare module '@prisma/client/runtime/query_compiler_bg.postgresql.mjs' {
  export class QueryCompiler {
    compile(request: string): unknown;
  }
}
