'use strict';
// Shared by main.js and post.js: find a Java 17+ and run `java -jar action/dist/spell-ci.jar github <step>`,
// passing the environment and stdio through and exiting with Java's exit code (post: always 0). No npm dependencies.
const fs = require('fs');
const path = require('path');
const childProcess = require('child_process');

const MIN_MAJOR = 17;
const exe = process.platform === 'win32' ? 'java.exe' : 'java';
// C1 only: measured in docs/performance.md to cut the CPU time of the validating path by about a quarter;
// it changes nothing but JIT tiers. (-XX:+UseSerialGC measured slower, probably because JDK 17 uses the CDS archived heap only with G1.)
const JVM_OPTIONS = ['-XX:TieredStopAtLevel=1'];

// The jar as the root action.yml expects it: action/dist/spell-ci.jar under the action's root (GITHUB_ACTION_PATH),
// else next to these launchers (run outside the runner).
function jarPath(env) {
  const candidates = [];
  if (env.GITHUB_ACTION_PATH) {
    candidates.push(path.resolve(env.GITHUB_ACTION_PATH, 'action', 'dist', 'spell-ci.jar'));
  }
  candidates.push(path.resolve(__dirname, '..', 'dist', 'spell-ci.jar'));
  return candidates.find((p) => fs.existsSync(p)) || candidates[0];
}

// The major version from a JDK's `release` file (JAVA_VERSION="17.0.12"), or 0 when unknown.
function releaseMajor(home) {
  try {
    const text = fs.readFileSync(path.join(home, 'release'), 'utf8');
    const m = /^JAVA_VERSION="?(\d+)(?:\.(\d+))?/m.exec(text);
    if (!m) return 0;
    const first = Number(m[1]);
    return first === 1 && m[2] ? Number(m[2]) : first;
  } catch (e) {
    return 0;
  }
}

// The major version by asking the binary itself (slow path, only when no release file says it).
function askMajor(java) {
  const r = childProcess.spawnSync(java, ['-version'], { encoding: 'utf8', windowsHide: true });
  if (r.error || r.status !== 0) return 0;
  const m = /version "(\d+)(?:\.(\d+))?/.exec(String(r.stderr) + String(r.stdout));
  if (!m) return 0;
  const first = Number(m[1]);
  return first === 1 && m[2] ? Number(m[2]) : first;
}

function majorOf(java) {
  const home = path.dirname(path.dirname(java));
  return releaseMajor(home) || askMajor(java);
}

function onPath(env) {
  const dirs = (env.PATH || env.Path || '').split(path.delimiter).filter(Boolean);
  for (const dir of dirs) {
    const candidate = path.join(dir, exe);
    try {
      if (fs.statSync(candidate).isFile()) return fs.realpathSync(candidate);
    } catch (e) {
      // not here
    }
  }
  return null;
}

// Lookup order: JAVA_HOME_{17,21,25}_{X64,arm64,ARM64}, then JAVA_HOME, then `java` on PATH.
function findJava(env) {
  const tried = [];
  const names = [];
  for (const major of [17, 21, 25]) {
    for (const arch of ['X64', 'arm64', 'ARM64']) names.push(`JAVA_HOME_${major}_${arch}`);
  }
  names.push('JAVA_HOME');
  for (const name of names) {
    const home = env[name];
    if (!home) continue;
    const java = path.join(home, 'bin', exe);
    if (!fs.existsSync(java)) {
      tried.push(`${name}=${home} (no ${path.join('bin', exe)})`);
      continue;
    }
    const major = name === 'JAVA_HOME' ? majorOf(java) : Number(name.split('_')[2]);
    if (major >= MIN_MAJOR) return java;
    tried.push(`${name}=${home} (Java ${major || 'of unknown version'})`);
  }
  const java = onPath(env);
  if (java) {
    const major = majorOf(java);
    if (major >= MIN_MAJOR) return java;
    tried.push(`${java} on PATH (Java ${major || 'of unknown version'})`);
  } else {
    tried.push('no java on PATH');
  }
  return { tried };
}

function run(step) {
  const env = process.env;
  // Post never fails the job (docs/github-action.md): there every problem is a warning with exit code 0.
  const report = step === 'post' ? warn : fail;
  const java = findJava(env);
  if (typeof java !== 'string') {
    const msg = `spell-ci needs Java ${MIN_MAJOR} or newer and found none (looked at: ${java.tried.join('; ')}). ` +
      'Add a step `- uses: actions/setup-java@v5` with `distribution: temurin` and `java-version: 17` before this one.';
    report(`Java ${MIN_MAJOR}+ not found`, msg);
    return;
  }
  const jar = jarPath(env);
  if (!fs.existsSync(jar)) {
    report('spell-ci.jar missing', `${jar} does not exist. Use a released tag of the action (e.g. @v1), or build ` +
      'it first with `mvn -B package` when using the action from a branch.');
    return;
  }
  const result = childProcess.spawnSync(java, [...JVM_OPTIONS, '-jar', jar, 'github', step], {
    stdio: 'inherit',
    env,
    windowsHide: true,
  });
  if (result.error) {
    report('Could not start Java', `${java}: ${String(result.error.message)}. Point JAVA_HOME at a working Java ` +
      `${MIN_MAJOR}+ (for example with actions/setup-java) and re-run the job.`);
    return;
  }
  if (result.status === null) {
    report('Java was stopped', `${java} was stopped by ${result.signal} before it finished; if the runner is short ` +
      'of memory, use a larger runner, else re-run the job.');
    return;
  }
  if (step === 'post' && result.status !== 0) {
    warn('spell-ci post failed', `${java} ended with exit code ${result.status}; a per-job token it did not delete ` +
      'is deleted by a later run once it is older than 24 hours.');
    return;
  }
  // exitCode rather than process.exit(): lets stdout drain (pipes are asynchronous on macOS).
  process.exitCode = result.status;
}

function escapeData(text) {
  return String(text).replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(text) {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

// An ::error:: annotation and exit code 1, as the Java side reports main's failures.
function fail(title, message) {
  process.stdout.write(`::error title=${escapeProperty(title)}::${escapeData(message)}\n`);
  process.exitCode = 1;
}

// A ::warning:: annotation and exit code 0, as the Java side reports post's problems.
function warn(title, message) {
  process.stdout.write(`::warning title=${escapeProperty(title)}::${escapeData(message)}\n`);
  process.exitCode = 0;
}

module.exports = { run, findJava, jarPath };
