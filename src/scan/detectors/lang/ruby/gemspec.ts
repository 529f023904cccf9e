/**
 * The installed-gem specification RubyGems writes to `specifications/<name>-<version>.gemspec`
 * (`Gem::Specification#to_ruby`): Ruby source with one assignment per line —
 * `s.name = "rack".freeze`, `s.version = "2.2.3"`, `s.platform = "x86_64-linux".freeze`,
 * `s.licenses = ["MIT".freeze]` — after a `# stub: <name> <version> <platform> <paths>` comment.
 * Older RubyGems wrote `%q{…}` literals. The file is read as text, never evaluated.
 */
export interface Gemspec {
  name: string;
  version: string;
  /** Absent for pure-Ruby gems (`ruby`). */
  platform?: string;
  licenses: string[];
}

const STRING_LITERAL = /"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'|%q\{([^}]*)\}/g;

export function parseGemspec(text: string): Gemspec | undefined {
  const fields = new Map<string, string>();
  for (const match of text.matchAll(/^\s*\w+\.(name|version|platform|licenses?)\s*=\s*(.+)$/gm)) {
    if (!fields.has(match[1]!)) fields.set(match[1]!, match[2]!);
  }
  const stub = /^# stub: (\S+) (\S+) (\S+)/m.exec(text);
  const name = firstLiteral(fields.get('name')) ?? stub?.[1];
  const version = firstLiteral(fields.get('version')) ?? stub?.[2];
  if (!name || !version) return undefined;
  const spec: Gemspec = {
    name,
    version,
    licenses: allLiterals(fields.get('licenses') ?? fields.get('license')),
  };
  const platform = firstLiteral(fields.get('platform')) ?? stub?.[3];
  if (platform && platform !== 'ruby') spec.platform = platform;
  return spec;
}

function firstLiteral(expression: string | undefined): string | undefined {
  return expression === undefined ? undefined : allLiterals(expression)[0];
}

function allLiterals(expression: string | undefined): string[] {
  if (expression === undefined) return [];
  const values: string[] = [];
  for (const match of expression.matchAll(STRING_LITERAL)) {
    const value = (match[1] ?? match[2] ?? match[3] ?? '').replace(/\\(.)/g, '$1').trim();
    if (value && !values.includes(value)) values.push(value);
  }
  return values;
}
