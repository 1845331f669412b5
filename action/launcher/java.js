'use strict';
// Shared by main.js and post.js: find a Java 17+ and run `java -jar action/dist/spell-ci.jar github <step>`,
// passing the environment and stdio through and exiting with Java's exit code (post: always 0). No npm dependencies.
const fs = require('fs');
const path = require('path');
const childProcess = require('child_process');
const cds = require('./cds.js');

const MIN_MAJOR = 17;
// C1 only: measured in docs/performance.md to cut the CPU time of the validating path by about a quarter;
// it changes nothing but JIT tiers. (-XX:+UseSerialGC measured slower, probably because JDK 17 uses the CDS archived heap only with G1.)
const JVM_OPTIONS = ['-XX:TieredStopAtLevel=1'];
// The names setup-java and the runner images give a JDK: JAVA_HOME_<major>_<arch>, arch as the images spell it
// (X64, arm64 on macOS, ARM64) or as setup-java's `architecture: aarch64` does (AARCH64, e.g. on windows-11-arm).
const JAVA_HOME_MAJORS = [17, 21, 25];
const JAVA_HOME_ARCHS = ['X64', 'arm64', 'ARM64', 'AARCH64'];

// What differs between Windows and POSIX, so that tests can hand the path logic Windows-shaped inputs anywhere.
function system(platform) {
  const win = platform === 'win32';
  return {
    win,
    path: win ? path.win32 : path.posix,
    exe: win ? 'java.exe' : 'java',
    isFile(p) {
      try {
        return fs.statSync(p).isFile();
      } catch (e) {
        return false;
      }
    },
    exists: (p) => fs.existsSync(p),
    realpath: (p) => fs.realpathSync(p),
    readText(p) {
      try {
        return fs.readFileSync(p, 'utf8');
      } catch (e) {
        return null;
      }
    },
  };
}

// The jar next to these launchers (action/launcher/../dist/spell-ci.jar). Not GITHUB_ACTION_PATH: the runner sets
// that only inside a composite action, to the composite's folder, which holds no jar of ours. (`env` is unused and
// kept so that callers such as release.yml's layout check, `jarPath(process.env)`, keep working.)
function jarPath(env, sys = system(process.platform), launcherDir = __dirname) {
  return sys.path.resolve(launcherDir, '..', 'dist', 'spell-ci.jar');
}

// The major version from a JDK's `release` file (JAVA_VERSION="17.0.12"), or 0 when unknown.
function releaseMajor(home, sys) {
  const text = sys.readText(sys.path.join(home, 'release'));
  const m = text && /^JAVA_VERSION="?(\d+)(?:\.(\d+))?/m.exec(text);
  if (!m) return 0;
  const first = Number(m[1]);
  return first === 1 && m[2] ? Number(m[2]) : first;
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

function majorOf(java, sys) {
  const home = sys.path.dirname(sys.path.dirname(java));
  return releaseMajor(home, sys) || askMajor(java);
}

// The PATH's folders. On Windows an entry may be quoted ("C:\Program Files\Java\bin", as installers write it and
// cmd.exe accepts); quotes cannot be part of a Windows file name, so they are dropped as cmd.exe drops them.
function pathDirs(env, sys) {
  const value = env.PATH || env.Path || '';
  const dirs = value.split(sys.win ? ';' : ':');
  return (sys.win ? dirs.map((d) => d.replace(/"/g, '')) : dirs).filter(Boolean);
}

function onPath(env, sys) {
  for (const dir of pathDirs(env, sys)) {
    const candidate = sys.path.join(dir, sys.exe);
    if (sys.isFile(candidate)) {
      try {
        return sys.realpath(candidate);
      } catch (e) {
        return candidate;
      }
    }
  }
  return null;
}

// Lookup order: JAVA_HOME_{17,21,25}_{X64,arm64,ARM64,AARCH64}, then JAVA_HOME, then `java` on PATH.
function findJava(env, sys = system(process.platform)) {
  const tried = [];
  const names = [];
  for (const major of JAVA_HOME_MAJORS) {
    for (const arch of JAVA_HOME_ARCHS) names.push(`JAVA_HOME_${major}_${arch}`);
  }
  names.push('JAVA_HOME');
  for (const name of names) {
    const home = env[name];
    if (!home) continue;
    const java = sys.path.join(home, 'bin', sys.exe);
    if (!sys.exists(java)) {
      tried.push(`${name}=${home} (no ${sys.path.join('bin', sys.exe)})`);
      continue;
    }
    const major = name === 'JAVA_HOME' ? majorOf(java, sys) : Number(name.split('_')[2]);
    if (major >= MIN_MAJOR) return java;
    tried.push(`${name}=${home} (Java ${major || 'of unknown version'})`);
  }
  const java = onPath(env, sys);
  if (java) {
    const major = majorOf(java, sys);
    if (major >= MIN_MAJOR) return java;
    tried.push(`${java} on PATH (Java ${major || 'of unknown version'})`);
  } else {
    tried.push('no java on PATH');
  }
  return { tried };
}

/**
 * How to start Java on `jar` with `jvmOptions` and `args`: the command line, its working directory and extra
 * environment. On Windows the `java` launcher turns its arguments into the ANSI code page, so a jar under a folder
 * outside it (a Cyrillic user name on a cp1252 machine) could not be opened: there Java starts in the jar's folder
 * with a relative `-jar`, and learns the step's own working directory from SPELL_CI_WORKING_DIRECTORY (for
 * relative paths such as the ca-certificates input). Options naming files in that folder come as relative names.
 */
function commandLine(jar, jvmOptions, args, sys = system(process.platform), cwd = process.cwd()) {
  if (!sys.win) {
    return { args: [...jvmOptions, '-jar', jar, ...args], cwd: undefined, env: {} };
  }
  return {
    args: [...jvmOptions, '-jar', sys.path.basename(jar), ...args],
    cwd: sys.path.dirname(jar),
    env: { SPELL_CI_WORKING_DIRECTORY: cwd },
  };
}

function run(step) {
  const env = process.env;
  const sys = system(process.platform);
  // Post never fails the job (docs/github-action.md): there every problem is a warning with exit code 0.
  const report = step === 'post' ? warn : fail;
  const setting = cds.setting(env);
  if (setting === null && step === 'main') {
    // Not the value: the launcher runs before anything is masked.
    if (cds.inputDecides(env)) {
      fail('Invalid input: class-data-sharing', 'class-data-sharing must be auto, true or false (auto: on for a ' +
        'self-hosted runner only); set it to one of these or remove it.');
    } else {
      fail('Invalid environment variable: SPELL_CI_CLASS_DATA_SHARING', 'SPELL_CI_CLASS_DATA_SHARING must be ' +
        'auto, true or false; set it to one of these or remove it where it is set (the step, the job, or the ' +
        "runner's .env file), or give the step's class-data-sharing input true or false, which wins over it.");
    }
    return;
  }
  const java = findJava(env, sys);
  if (typeof java !== 'string') {
    const msg = `spell-ci needs Java ${MIN_MAJOR} or newer and found none (looked at: ${java.tried.join('; ')}). ` +
      'Add a step `- uses: actions/setup-java@v5` with `distribution: temurin` and `java-version: 17` before this one.';
    report(`Java ${MIN_MAJOR}+ not found`, msg);
    return;
  }
  const jar = jarPath(env, sys);
  if (!fs.existsSync(jar)) {
    report('spell-ci.jar missing', `${jar} does not exist. Use a released tag of the action (e.g. @v1), or build ` +
      'it first with `./mvnw -B package` when using the action from a branch.');
    return;
  }
  // Class-data sharing (docs/performance.md): null when off or not possible, and then everything is as without it.
  const sharing = cds.enabled(setting, env) ? cds.prepare({ java, jar, jvmOptions: JVM_OPTIONS, env, sys }) : null;
  const cmd = commandLine(sharing ? sharing.jar : jar, sharing ? sharing.jvmOptions : JVM_OPTIONS,
    ['github', step], sys);
  const result = childProcess.spawnSync(java, cmd.args, {
    stdio: 'inherit',
    env: Object.keys(cmd.env).length ? { ...env, ...cmd.env } : env,
    cwd: cmd.cwd,
    windowsHide: true,
  });
  const status = sharing ? sharing.finish(result.status) : result.status;
  if (sharing && sharing.note) debug(sharing.note);
  if (result.error) {
    report('Could not start Java', `${java}: ${String(result.error.message)}. Point JAVA_HOME at a working Java ` +
      `${MIN_MAJOR}+ (for example with actions/setup-java) and re-run the job.`);
    return;
  }
  if (status === null) {
    report('Java was stopped', `${java} was stopped by ${result.signal} before it finished; if the runner is short ` +
      'of memory, use a larger runner, else re-run the job.');
    return;
  }
  if (step === 'post' && status !== 0) {
    warn('spell-ci post failed', `${java} ended with exit code ${status}; a per-job token it did not delete ` +
      'is deleted by a later run once it is older than 24 hours.');
    return;
  }
  // exitCode rather than process.exit(): lets stdout drain (pipes are asynchronous on macOS).
  process.exitCode = status;
}

function escapeData(text) {
  return String(text).replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(text) {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

// A ::debug:: line: shown only when the job runs with debug logging.
function debug(message) {
  process.stdout.write(`::debug::${escapeData(message)}\n`);
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

module.exports = { run, findJava, jarPath, pathDirs, commandLine, system, JVM_OPTIONS };
