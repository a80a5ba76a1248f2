/*
 * Container commands judged by what they mean, not by how they are spelled. An ES module that
 * quiz.js imports for short answers marked `data-judge="command"`; it touches no DOM.
 *
 * `judge(answer, expected, engines)` reads both lines as one shell command each, turns them into
 * a canonical command (engine, action, tags, context and Dockerfile for a build; image and
 * command for a run) and compares those. A reason says what is wrong, as a list of parts: text,
 * and `{ code }` for what the page shows as code. `describe(reason)` writes it as one string,
 * with the code between backticks.
 *
 * Deliberate choices: the engine is any of `engines` (case-sensitive, as shells are). A build is
 * `build`, `image build` or `buildx build`, with `-t X`, `-tX`, `-t=X`, `--tag X` or `--tag=X`
 * (tags compared as a set; a name without a tag means `:latest`), one context (`./` is `.`) and
 * optionally `-f`/`--file` naming the default Dockerfile. A run is `run` or `container run`;
 * `--rm`, `-i`, `-t`, `-it` and their long forms are accepted, as they change how the container
 * is attached and cleaned up, not what runs; anything after the image replaces the image's own
 * command. Every other option is refused by name. Words are split at spaces and tabs only, as a
 * shell splits them: a word that holds another space (a no-break space, say) or a character that
 * cannot be seen is refused, naming it.
 */

export const MAX_LENGTH = 1000;

const code = (text) => ({ code: String(text) });

export const describe = (reason) =>
  reason.map((part) => (typeof part === "string" ? part : `\`${part.code}\``)).join("");

class Refusal extends Error {
  constructor(reason) {
    super(describe(reason));
    this.reason = reason;
  }
}

function refuse(...reason) {
  throw new Refusal(reason);
}

// `docker` or `podman`; `.` and `src`: each word as code.
const list = (texts, last = " or ") =>
  texts.flatMap((text, i) => [...(i ? [i === texts.length - 1 ? last : ", "] : []), code(text)]);

/* Words -------------------------------------------------------------------------------------- */

const ONE_COMMAND = ": type one command, with nothing before or after it.";
const SUBSTITUTION = "runs another command and pastes in its output";

// Longest first, so `&&` is found before `&`.
const OPERATORS = [
  ["&&", "runs a second command after the first"],
  ["||", "runs a second command when the first fails"],
  ["$(", SUBSTITUTION],
  ["`", SUBSTITUTION],
  [";", "ends one command and starts another"],
  ["|", "sends the output into a second command"],
  ["&", "runs the command in the background"],
  [">", "writes the output to a file"],
  ["<", "reads the input from a file"],
  ["(", "starts a subshell"],
  [")", "ends a subshell"],
  ["\n", "starts a second command"]
];

const SPOKEN = { "`": "A backtick", "\n": "A new line" };

// A shell splits words at the blanks of its IFS only: space, tab and new line. Every other
// space, and every character that takes no room, is part of a word like any letter; pasted
// from a web page, a chat or a word processor, they look like a plain space or like nothing.
const BLANK = /[ \t]/; // a new line is an operator (OPERATORS)
const BLANKS_AROUND = /^[ \t\n]+|[ \t\n]+$/g;
const UNSPLIT = /[^\S \t\n]|\p{Cf}/u; // \s but the blanks, and the formatting characters
const SPACES = {
  "\u000b": "a vertical tab",
  "\u000c": "a form feed",
  "\r": "a carriage return",
  "\u00a0": "a no-break space",
  "\u1680": "an ogham space mark",
  "\u2000": "an en quad",
  "\u2001": "an em quad",
  "\u2002": "an en space",
  "\u2003": "an em space",
  "\u2004": "a three-per-em space",
  "\u2005": "a four-per-em space",
  "\u2006": "a six-per-em space",
  "\u2007": "a figure space",
  "\u2008": "a punctuation space",
  "\u2009": "a thin space",
  "\u200a": "a hair space",
  "\u2028": "a line separator",
  "\u2029": "a paragraph separator",
  "\u202f": "a narrow no-break space",
  "\u205f": "a medium mathematical space",
  "\u3000": "an ideographic space"
};
const INVISIBLE = {
  "\u00ad": "a soft hyphen",
  "\u200b": "a zero-width space",
  "\u200c": "a zero-width non-joiner",
  "\u200d": "a zero-width joiner",
  "\u2060": "a word joiner",
  "\ufeff": "a byte order mark"
};
const LOOKS_LIKE_A_SPACE =
  ", not a plain space: a shell reads it as part of a word, not as a break between two. " +
  "Type a plain space instead.";
const TAKES_NO_ROOM = ", which cannot be seen: a shell reads it as part of a word. Delete it.";

const codePoint = (c) => `U+${c.codePointAt(0).toString(16).toUpperCase().padStart(4, "0")}`;

// A word is refused if it holds such a character: the reader cannot see what the shell reads.
// Quoted or not, it would be part of the word.
function unsplit(word) {
  const found = UNSPLIT.exec(word);
  if (!found) return;
  const [c] = found;
  if (/\p{Cf}/u.test(c)) {
    const name = INVISIBLE[c] || "an invisible formatting character"; // U+FEFF is \s and Cf
    refuse(`This command contains ${name} (${codePoint(c)})${TAKES_NO_ROOM}`);
  }
  refuse(`This command contains ${SPACES[c] || "a space"} (${codePoint(c)})${LOOKS_LIKE_A_SPACE}`);
}

function operator(line, i) {
  const found = OPERATORS.find(([op]) => line.startsWith(op, i));
  if (!found) return;
  const [op, meaning] = found;
  const name = Object.hasOwn(SPOKEN, op) ? [SPOKEN[op]] : [code(op)];
  refuse(...name, ` ${meaning}${ONE_COMMAND}`);
}

// `$NAME`, `${NAME}`, `$1`, `$?`, ...: the shell would put a value there.
function expansion(line, i) {
  if (line[i] !== "$") return;
  if (line[i + 1] === "(") refuse(code("$("), ` ${SUBSTITUTION}${ONE_COMMAND}`);
  const name = /^\$(\{[^}]*\}?|[A-Za-z_][A-Za-z0-9_]*|[0-9@*#?$!-])/.exec(line.slice(i));
  if (name) refuse(code(name[0]), " is a shell variable: type its value instead.");
}

/*
 * Words as a POSIX shell splits them, for the simple cases: spaces and tabs separate, '...' keeps
 * everything, "..." keeps everything but `\"`, `\\`, `\$` and `` \` ``, a backslash outside
 * quotes keeps the next character. Operators, substitutions, variables and comments are refused.
 */
export function tokenise(line) {
  const words = [];
  let word = null; // null between words; "" is an empty word such as ''
  const add = (text) => (word = (word ?? "") + text);
  // Whole, so that a character outside the BMP is one match, not two halves.
  const endWord = () => {
    unsplit(word);
    words.push(word);
  };
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (BLANK.test(c)) {
      if (word !== null) endWord();
      word = null;
    } else if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) refuse("A quote ", code("'"), " is opened and never closed.");
      add(line.slice(i + 1, end));
      i = end;
    } else if (c === '"') {
      add("");
      for (i++; line[i] !== '"'; i++) {
        if (i >= line.length) refuse("A quote ", code('"'), " is opened and never closed.");
        if (line[i] === "`") operator(line, i);
        expansion(line, i);
        if (line[i] === "\\" && '"\\$`'.includes(line[i + 1])) i++;
        add(line[i]);
      }
    } else if (c === "\\") {
      if (i + 1 >= line.length) refuse("A ", code("\\"), " at the end continues the line.");
      add(line[++i]);
    } else {
      operator(line, i);
      expansion(line, i);
      if (c === "#" && word === null) refuse(code("#"), " starts a comment: leave it out.");
      add(c);
    }
  }
  if (word !== null) endWord();
  return words;
}

/* Meaning ------------------------------------------------------------------------------------ */

const KNOWN_ENGINES = ["docker", "podman", "nerdctl"];
const GROUPS = ["image", "container", "buildx"]; // management commands: `docker image build`
const ACTIONS = {
  build: "build",
  "image build": "build",
  "buildx build": "build",
  run: "run",
  "container run": "run"
};

// What a subcommand does, by its last word, for the reason when it is the wrong one.
const MEANINGS = {
  build: "builds an image",
  run: "starts a container from an image",
  start: "starts a container that already exists",
  create: "creates a container without starting it",
  exec: "runs a command in a container that is already running",
  pull: "downloads an image from a registry",
  push: "uploads an image to a registry",
  tag: "gives an image that already exists another name",
  commit: "makes an image from a container's changes",
  images: "lists images",
  ps: "lists containers"
};
const ASKS = { build: "builds an image", run: "starts a container from an image" };

// Options that exist but change what the command does.
const CHANGES = {
  build: {
    "--no-cache": "builds every layer again without the cache",
    "--pull": "pulls a newer base image first",
    "--platform": "builds for another platform",
    "--build-arg": "changes a build argument",
    "--target": "builds only up to another stage",
    "-q": "prints only the image ID",
    "--quiet": "prints only the image ID",
    "-o": "writes the result somewhere else",
    "--output": "writes the result somewhere else",
    "--push": "also uploads the image",
    "--rm": "is already what a build does"
  },
  run: {
    "-d": "runs the container in the background, so its output is not shown",
    "--detach": "runs the container in the background, so its output is not shown",
    "--name": "gives the container a name",
    "-p": "publishes a port",
    "--publish": "publishes a port",
    "-v": "mounts files into the container",
    "--volume": "mounts files into the container",
    "--mount": "mounts files into the container",
    "-e": "changes the container's environment",
    "--env": "changes the container's environment",
    "--env-file": "changes the container's environment",
    "--entrypoint": "replaces the image's entrypoint",
    "--network": "connects the container to another network",
    "-u": "runs as another user",
    "--user": "runs as another user",
    "-w": "runs in another directory",
    "--workdir": "runs in another directory",
    "--platform": "runs the image for another platform",
    "--pull": "may pull another image first"
  }
};

// Long options typed with one dash.
const MEANT = { build: { "-tag": "--tag", "-file": "--file" }, run: { "-rm": "--rm" } };

function unknown(action, arg) {
  const name = arg.split("=")[0];
  const change = Object.hasOwn(CHANGES[action], name) && CHANGES[action][name];
  if (change) refuse(code(name), ` ${change}: the question asks for the command without it.`);
  const meant = MEANT[action];
  if (Object.hasOwn(meant, arg)) {
    refuse("Unknown option ", code(arg), ": did you mean ", code(meant[arg]), "?");
  }
  refuse("Unknown option ", code(arg), ".");
}

// `--tag=X`, `-tX` and `-t=X` (as Docker's flag parser reads them), or the next word.
function value(args, i, arg, name) {
  const inline = arg.startsWith("--") ? arg.slice(name.length + 1) : arg.slice(2).replace(/^=/, "");
  const attached = arg.length > name.length;
  const text = attached ? inline : args[i + 1];
  if (text === undefined || text === "" || (!attached && text.startsWith("-"))) {
    refuse(code(attached ? arg : name), " needs a value.");
  }
  return [text, attached ? i : i + 1];
}

function parseBuild(engine, args) {
  const tags = [];
  const contexts = [];
  let file = null;
  let positional = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (positional || arg === "-" || !arg.startsWith("-")) contexts.push(arg);
    else if (arg === "--") positional = true;
    else if (arg === "-tag" || arg === "-file") unknown("build", arg);
    else if (/^(-t|--tag(=|$))/.test(arg)) {
      const [tag, next] = value(args, i, arg, arg.startsWith("--") ? "--tag" : "-t");
      tags.push(tag);
      i = next;
    } else if (/^(-f|--file(=|$))/.test(arg)) {
      if (file !== null) refuse(code("-f"), " is given twice: a build reads one Dockerfile.");
      [file, i] = value(args, i, arg, arg.startsWith("--") ? "--file" : "-f");
    } else unknown("build", arg);
  }
  if (contexts.length > 1) {
    const all = list(contexts, " and ");
    refuse(code(`${engine} build`), " takes one context, but this gives more: ", ...all, ".");
  }
  return { engine, action: "build", tags, context: contexts[0] ?? null, file };
}

const ATTACH = ["--rm", "-i", "-t", "--interactive", "--tty"];

function parseRun(engine, args) {
  let i = 0;
  for (; i < args.length && args[i].startsWith("-") && args[i] !== "-"; i++) {
    const arg = args[i];
    if (arg === "--") {
      i++;
      break;
    }
    if (ATTACH.includes(arg)) continue;
    // -it, -ti: single-letter switches together
    const letters = /^-[a-zA-Z]+$/.test(arg) ? [...arg.slice(1)].map((l) => `-${l}`) : [arg];
    if (letters.every((l) => ATTACH.includes(l))) continue;
    const changing = letters.find((l) => !ATTACH.includes(l) && Object.hasOwn(CHANGES.run, l));
    unknown("run", changing || arg);
  }
  // Docker stops reading options at the image: what follows is the container's command.
  return { engine, action: "run", image: args[i] ?? null, args: args.slice(i + 1) };
}

function parseWords(words, engines) {
  if (!words.length) refuse("Type a command.");
  const [engine, ...rest] = words;
  if (!engines.includes(engine)) {
    if (engine === "$") refuse("Leave out the ", code("$"), " prompt: type only the command.");
    if (engine === "sudo") refuse("Leave out ", code("sudo"), ": type only the command.");
    const lower = engine.toLowerCase();
    if (engines.includes(lower)) {
      refuse("Commands are case-sensitive: type ", code(lower), ", not ", code(engine), ".");
    }
    if (KNOWN_ENGINES.includes(lower)) {
      refuse(code(engine), " is not an engine this question accepts: use ", ...list(engines), ".");
    }
    refuse("The command starts with ", ...list(engines), ", not ", code(engine), ".");
  }
  if (!rest.length) refuse(code(engine), " alone does nothing: it needs a subcommand.");
  if (rest[0].startsWith("-")) refuse("Unknown option ", code(rest[0]), ".");
  const used = GROUPS.includes(rest[0]) && rest.length > 1 ? rest.slice(0, 2) : rest.slice(0, 1);
  const name = used.join(" ");
  const args = rest.slice(used.length);
  if (ACTIONS[name] === "build") return parseBuild(engine, args);
  if (ACTIONS[name] === "run") return parseRun(engine, args);
  const last = used[used.length - 1];
  const lower = name.toLowerCase();
  const known = Object.hasOwn(ACTIONS, lower) || Object.hasOwn(MEANINGS, last.toLowerCase());
  if (known && name !== lower) {
    refuse("Commands are case-sensitive: type ", code(lower), ", not ", code(name), ".");
  }
  return { engine, action: name, meaning: Object.hasOwn(MEANINGS, last) ? MEANINGS[last] : null };
}

// { command } or { reason }.
export function parse(line, engines = ["docker"]) {
  try {
    line = String(line).replace(BLANKS_AROUND, "");
    if (line.length > MAX_LENGTH) refuse("That is too long to be one command.");
    return { command: parseWords(tokenise(line), engines) };
  } catch (error) {
    if (error instanceof Refusal) return { reason: error.reason };
    throw error;
  }
}

/* Comparing ---------------------------------------------------------------------------------- */

// A name without `:tag` (after the last `/`) or `@digest` means `:latest`, as in Docker.
export function reference(name) {
  const last = name.slice(name.lastIndexOf("/") + 1);
  return last.includes(":") || name.includes("@") ? name : `${name}:latest`;
}

// `./` is `.`, `./src/` is `src`; an empty word stays empty (Docker refuses it).
export function path(text) {
  if (text === "") return "";
  const absolute = text.startsWith("/");
  const parts = text.split("/").filter((part) => part && part !== ".");
  return (absolute ? "/" : "") + parts.join("/") || (absolute ? "/" : ".");
}

const dockerfile = (build) => path(build.file ?? `${build.context ?? "."}/Dockerfile`);

const named = (text) =>
  reference(text) === text ? [code(text)] : [code(text), " (that is, ", code(reference(text)), ")"];

function compareBuild(given, expected) {
  const [tag] = expected.tags;
  if (given.context === null) {
    const where = path(expected.context) === "." ? "the " : "";
    return ["The build needs a context: ", where, code(expected.context), " at the end."];
  }
  if (!given.tags.length && tag) {
    const flag = code(`-t ${tag}`);
    return ["Without ", flag, " the image gets no name: the question tags it ", code(tag), "."];
  }
  const want = new Set(expected.tags.map(reference));
  const have = new Set(given.tags.map(reference));
  const wrong = given.tags.find((t) => !want.has(reference(t)));
  if (wrong !== undefined) return [...named(wrong), " is not the tag the question asks for."];
  const missing = expected.tags.find((t) => !have.has(reference(t)));
  if (missing !== undefined) return ["The image also needs the tag ", code(missing), "."];
  if (path(given.context) !== path(expected.context)) {
    const here = path(expected.context) === ".";
    const from = here ? ["the current directory, ", code(".")] : [code(expected.context)];
    const context = code(given.context || '""');
    return [context, " is not the build context: the question builds from ", ...from, "."];
  }
  const file = dockerfile(expected);
  if (dockerfile(given) !== file) {
    const uses = [": the question uses ", code(file), "."];
    if (given.file === null) return ["The build reads ", code(dockerfile(given)), ...uses];
    return [code(`-f ${given.file}`), " builds from another file", ...uses];
  }
  return null;
}

function compareRun(given, expected) {
  if (given.image === null) {
    return [code(`${given.engine} run`), " needs the image to start: ", code(expected.image), "."];
  }
  if (reference(given.image) !== reference(expected.image)) {
    return [...named(given.image), " is not the image the question asks for."];
  }
  if (given.args.join(" ") === expected.args.join(" ")) return null;
  const after = code(given.args.join(" "));
  if (given.args[0]?.startsWith("-")) {
    return [after, " after the image goes to the container as its command: options go before it."];
  }
  if (!expected.args.length) {
    return [after, " after the image replaces the image's own command: leave it out."];
  }
  return ["After the image, the question runs ", code(expected.args.join(" ")), "."];
}

// null when `given` means what `expected` means, else the reason.
export function compare(given, expected) {
  if (given.action !== expected.action) {
    const what = code(`${given.engine} ${given.action}`);
    const asks = `the command that ${ASKS[expected.action]}.`;
    const meaning = Object.hasOwn(ASKS, given.action) ? MEANINGS[given.action] : given.meaning;
    if (meaning) return [what, ` ${meaning}; this question asks for ${asks}`];
    return [what, ` is not a command this question accepts: it asks for ${asks}`];
  }
  return expected.action === "build" ? compareBuild(given, expected) : compareRun(given, expected);
}

/*
 * { ok: true } or { ok: false, reason }, or null when `expected` itself is not a build or a run
 * this module can read (the caller then judges the text as it is).
 */
export function judge(answer, expected, engines = ["docker"]) {
  const want = parse(expected, engines).command;
  const complete = want && (want.action === "build" ? want.context !== null : want.image);
  if (!complete || !Object.hasOwn(ASKS, want.action)) return null;
  const { command, reason } = parse(answer, engines);
  if (reason) return { ok: false, reason };
  const why = compare(command, want);
  return why ? { ok: false, reason: why } : { ok: true };
}
