/**
 * The places in a TypeScript file whose execution coverage asks about, found in the source itself so the denominators do
 * not depend on which transpiler (swc in jest, esbuild in tsx) produced the code that ran:
 *
 * - statements: every statement that does something at run time (not imports, types, or declarations of functions and
 *   classes, whose bodies carry their own statements). A line is covered when a statement starting on it ran (istanbul's rule).
 * - branch arms: `if` (then, else or the implicit else), `a ? b : c` (both arms), `&&`, `||`, `??` and their assignment forms
 *   (the right operand, and the short circuit), and each non-empty `case`/`default` clause (istanbul's kinds, less default
 *   parameter values, which V8 does not count).
 *
 * An arm is "taken" when the V8 count at `at` is above zero, or, for arms V8 has no counter of their own (the implicit else
 * and the short circuit), when the count at `parentAt` exceeds the count at `at`.
 */
import ts from 'typescript';

/** A position in the original file: 0-based line and column (UTF-16 units, as source maps and V8 count them). */
export interface SourcePosition {
  readonly line: number;
  readonly column: number;
}

/** A span to look up: the first mapped position at or after `start` and before `end`. */
export interface SourceSpan {
  readonly start: SourcePosition;
  readonly end: SourcePosition;
}

export interface StatementProbe {
  /** 1-based, as reports show it. */
  readonly line: number;
  readonly span: SourceSpan;
}

export type ArmKind = 'then' | 'else' | 'implicit-else' | 'cond-true' | 'cond-false' | 'right' | 'short-circuit' | 'case';

export interface BranchArmProbe {
  /** 1-based line and column of the branch point (the `if`, the `?`, the operator, the `case`). */
  readonly line: number;
  readonly column: number;
  readonly kind: ArmKind;
  readonly at: SourceSpan;
  /** For arms without a V8 counter: taken = count(parentAt) − count(at) > 0. */
  readonly parentAt?: SourceSpan;
}

export interface FileProbes {
  readonly statements: readonly StatementProbe[];
  readonly arms: readonly BranchArmProbe[];
}

const LOGICAL = new Set([
  ts.SyntaxKind.AmpersandAmpersandToken,
  ts.SyntaxKind.BarBarToken,
  ts.SyntaxKind.QuestionQuestionToken,
]);
// Logical assignments (`??=`, `||=`, `&&=`) are not counted as branches: V8 keeps no separate counter for their right-hand
// side, so neither arm can be told from the statement around it (checked with NODE_V8_COVERAGE on a small script).
// Counting them would report the "already set" arm as never taken however often tests take it.

const hasModifier = (node: ts.Node, kind: ts.SyntaxKind) =>
  ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === kind);

/** Statements that run code; imports and exports-from are left out (a loaded file has run them all). */
function isRuntimeStatement(node: ts.Node): boolean {
  if (hasModifier(node, ts.SyntaxKind.DeclareKeyword)) return false;
  switch (node.kind) {
    case ts.SyntaxKind.VariableStatement:
    case ts.SyntaxKind.ExpressionStatement:
    case ts.SyntaxKind.ReturnStatement:
    case ts.SyntaxKind.IfStatement:
    case ts.SyntaxKind.ThrowStatement:
    case ts.SyntaxKind.ForStatement:
    case ts.SyntaxKind.ForOfStatement:
    case ts.SyntaxKind.ForInStatement:
    case ts.SyntaxKind.WhileStatement:
    case ts.SyntaxKind.DoStatement:
    case ts.SyntaxKind.SwitchStatement:
    case ts.SyntaxKind.TryStatement:
    case ts.SyntaxKind.BreakStatement:
    case ts.SyntaxKind.ContinueStatement:
    case ts.SyntaxKind.ExportAssignment:
    case ts.SyntaxKind.LabeledStatement:
      return true;
    case ts.SyntaxKind.EnumDeclaration:
      return !hasModifier(node, ts.SyntaxKind.ConstKeyword);
    default:
      return false;
  }
}

/** Finds the statement and branch probes of one TypeScript source. */
export function findProbes(fileName: string, source: string): FileProbes {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const pos = (offset: number): SourcePosition => {
    const { line, character } = file.getLineAndCharacterOfPosition(offset);
    return { line, column: character };
  };
  const span = (node: ts.Node): SourceSpan => ({ start: pos(node.getStart(file)), end: pos(node.getEnd()) });
  const line = (node: ts.Node) => pos(node.getStart(file)).line + 1;
  const point = (node: ts.Node) => {
    const start = pos(node.getStart(file));
    return { line: start.line + 1, column: start.column + 1 };
  };
  const statements: StatementProbe[] = [];
  const arms: BranchArmProbe[] = [];

  const visit = (node: ts.Node): void => {
    // type-level code never runs: interfaces, aliases, ambient declarations, overload signatures
    if (
      ts.isInterfaceDeclaration(node) ||
      ts.isTypeAliasDeclaration(node) ||
      ts.isTypeNode(node) ||
      hasModifier(node, ts.SyntaxKind.DeclareKeyword) ||
      ((ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node)) && !node.body)
    ) {
      return;
    }
    if (isRuntimeStatement(node)) statements.push({ line: line(node), span: span(node) });
    // a concise arrow body is a statement of its own: it runs only when the arrow is called
    if (ts.isArrowFunction(node) && !ts.isBlock(node.body)) statements.push({ line: line(node.body), span: span(node.body) });
    // class fields with initialisers run at construction (or class definition, for static ones)
    if (ts.isPropertyDeclaration(node) && node.initializer) statements.push({ line: line(node), span: span(node.initializer) });

    if (ts.isIfStatement(node)) {
      arms.push({ ...point(node), kind: 'then', at: span(node.thenStatement) });
      if (node.elseStatement) {
        arms.push({ ...point(node), kind: 'else', at: span(node.elseStatement) });
      } else {
        // the `if` keyword up to the condition's end: counted whenever the statement is reached
        const parentAt = { start: pos(node.getStart(file)), end: pos(node.expression.getEnd()) };
        arms.push({ ...point(node), kind: 'implicit-else', at: span(node.thenStatement), parentAt });
      }
    } else if (ts.isConditionalExpression(node)) {
      arms.push({ ...point(node.questionToken), kind: 'cond-true', at: span(node.whenTrue) });
      arms.push({ ...point(node.questionToken), kind: 'cond-false', at: span(node.whenFalse) });
    } else if (ts.isBinaryExpression(node) && LOGICAL.has(node.operatorToken.kind)) {
      arms.push({ ...point(node.operatorToken), kind: 'right', at: span(node.right) });
      arms.push({ ...point(node.operatorToken), kind: 'short-circuit', at: span(node.right), parentAt: span(node.left) });
    } else if (ts.isCaseClause(node) || ts.isDefaultClause(node)) {
      // an empty clause falls through to the next one and has no code of its own
      if (node.statements.length > 0) {
        const first = node.statements[0]!;
        const last = node.statements[node.statements.length - 1]!;
        arms.push({ ...point(node), kind: 'case', at: { start: pos(first.getStart(file)), end: pos(last.getEnd()) } });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return { statements, arms };
}
