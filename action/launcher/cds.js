'use strict';
// Class-data sharing kept in the runner's tool cache (docs/performance.md): on a self-hosted runner the JVM's
// class loading and verification of the jar (OkHttp, Kotlin, okio, Jackson, picocli) is done once and mapped
// from a file by every later step. Every failure means "run as without it": at most one ::debug:: line.
const fs = require('fs');

// Under RUNNER_TOOL_CACHE: <DIR>/<jar content hash (jarId)>/spell-ci.jar and <runtime and options hash>.jsa (+ .ok).
const DIR = 'spell-ci-cds';
// An archive is about 8 MB; below this much free space none is made (a JVM that cannot finish writing one exits 1).
const MIN_FREE_BYTES = 256 * 1024 * 1024;
// The JVM's own CDS messages (JDK 25 lists classes it skips while dumping) stay out of the job log.
const QUIET = ['-Xlog:cds*=off']; // every cds tag set: cds+dynamic warns of an archive it cannot map
const ENV_OPTIONS = ['JAVA_TOOL_OPTIONS', 'JDK_JAVA_OPTIONS', '_JAVA_OPTIONS'];

// 'auto', 'true' or 'false'; null for anything else. The input wins unless it is auto (its default), then the
// environment variable (for the CLI, or for a runner's admin to switch it off machine-wide), then auto.
function setting(env) {
  const input = (env['INPUT_CLASS-DATA-SHARING'] || '').trim().toLowerCase();
  const variable = (env.SPELL_CI_CLASS_DATA_SHARING || '').trim().toLowerCase();
  const value = inputDecides(env) ? input : variable || input || 'auto';
  return ['auto', 'true', 'false'].includes(value) ? value : null;
}

// Whether the input, not the environment variable, decides (and so is the one to blame for a bad value).
function inputDecides(env) {
  const input = (env['INPUT_CLASS-DATA-SHARING'] || '').trim().toLowerCase();
  return input !== '' && input !== 'auto';
}

// Auto: only on self-hosted runners, whose tool cache outlives the job; a hosted runner's would be thrown away.
function enabled(value, env) {
  return value === 'true' || (value === 'auto' && env.RUNNER_ENVIRONMENT === 'self-hosted');
}

function sha256(data) {
  return require('crypto').createHash('sha256').update(data).digest('hex'); // loaded only where sharing is on
}

// The jar's content, named without reading all of it: a zip's central directory lists every entry's name, sizes
// and CRC-32, so its hash changes when any entry does. (Hashing the whole 6 MB jar took about 20 ms of every start.)
// Anything but a plain zip (zip64, a comment holding the signature, not a zip at all) is hashed whole.
function jarId(jar) {
  const fd = fs.openSync(jar, 'r');
  try {
    const size = fs.fstatSync(fd).size;
    const tail = Buffer.alloc(Math.min(size, 22 + 0xffff)); // the end record: 22 bytes and a comment of at most 64 KB
    fs.readSync(fd, tail, 0, tail.length, size - tail.length);
    const end = tail.lastIndexOf(Buffer.from('PK\x05\x06', 'latin1'));
    if (end >= 0 && end + 22 <= tail.length) {
      const cdSize = tail.readUInt32LE(end + 12);
      const cdOffset = tail.readUInt32LE(end + 16);
      if (cdOffset !== 0xffffffff && cdOffset + cdSize === size - tail.length + end && cdSize >= 46) {
        const cd = Buffer.alloc(cdSize);
        fs.readSync(fd, cd, 0, cdSize, cdOffset);
        if (cd.readUInt32LE(0) === 0x02014b50) return sha256(Buffer.concat([cd, tail.subarray(end)]));
      }
    }
  } finally {
    fs.closeSync(fd);
  }
  return sha256(fs.readFileSync(jar));
}

// What the marker file records: a file we renamed into place, still as we left it, against the same jar copy.
function stamp(archive, jar) {
  const a = fs.statSync(archive);
  const j = fs.statSync(jar);
  return `${a.size} ${a.mtimeMs} ${j.size} ${j.mtimeMs}\n`;
}

function unlinkQuietly(file) {
  try {
    fs.unlinkSync(file);
  } catch (e) {
    // already gone, or not ours to remove
  }
}

function tempName(file) {
  return `${file}.${process.pid}-${require('crypto').randomBytes(6).toString('hex')}.tmp`;
}

// The runner unpacks the action afresh for every job (new modification times), and the JVM refuses an archive
// whose jar changed time or size; so the archive is made against a copy of the jar kept beside it. A copy is
// linked into place only if none is there yet, so a concurrent job never replaces one an archive depends on.
function ensureJarCopy(jar, copy) {
  try {
    if (fs.statSync(copy).size === fs.statSync(jar).size) return;
  } catch (e) {
    // no copy yet
  }
  const tmp = tempName(copy);
  try {
    fs.copyFileSync(jar, tmp);
    try {
      fs.linkSync(tmp, copy);
    } catch (e) {
      if (e.code !== 'EEXIST') fs.renameSync(tmp, copy); // a file system without hard links
      else if (fs.statSync(copy).size !== fs.statSync(jar).size) fs.renameSync(tmp, copy); // a damaged copy
    }
  } finally {
    unlinkQuietly(tmp);
  }
}

/**
 * Decides how this step uses class-data sharing. Returns { jar, jvmOptions, finish(status), note }: the jar and
 * options to start Java with, a function to call with Java's exit status once it has exited (it returns the status
 * to report), and the one debug line to print afterwards.
 */
function prepare({ java, jar, jvmOptions, env, sys }) {
  const without = (note) => ({ jar, jvmOptions, finish: (status) => status, note: `spell-ci: class-data sharing off: ${note}` });
  const toolCache = env.RUNNER_TOOL_CACHE;
  if (!toolCache) return without('RUNNER_TOOL_CACHE is not set');
  try {
    const home = sys.path.dirname(sys.path.dirname(sys.realpath(java)));
    const release = sys.readText(sys.path.join(home, 'release')) || '';
    const version = /^JAVA_RUNTIME_VERSION="?([^"\r\n]+)/m.exec(release);
    if (!version) return without(`${home} has no JAVA_RUNTIME_VERSION in its release file`);
    // A dynamic archive sits on top of the JDK's own (lib/server/classes.jsa; bin\\server on Windows): without
    // that, this Java has no class-data sharing to build on.
    const base = ['lib', 'bin'].map((d) => sys.path.join(home, d, 'server', 'classes.jsa')).find((f) => sys.isFile(f));
    if (!base) return without(`${home} has no class-data sharing archive of its own (lib/server/classes.jsa)`);
    // Their sizes and times catch a JDK updated in place under the same version.
    const jdkFiles = [base, sys.path.join(home, 'lib', 'modules')].map((f) => {
      try {
        const s = fs.statSync(f);
        return `${s.size} ${s.mtimeMs}`;
      } catch (e) {
        return '';
      }
    });
    const dir = sys.path.join(toolCache, DIR, jarId(jar).slice(0, 32));
    const key = sha256([home, version[1], ...jdkFiles, process.platform, process.arch, ...jvmOptions,
      ...ENV_OPTIONS.map((name) => `${name}=${env[name] || ''}`)].join('\n')).slice(0, 32);
    const copy = sys.path.join(dir, 'spell-ci.jar');
    const archive = sys.path.join(dir, `${key}.jsa`);
    const marker = `${archive}.ok`;
    // On Windows Java starts in the jar's folder (java.js commandLine), so names there are relative.
    const ref = (file) => (sys.win ? sys.path.basename(file) : file);
    fs.mkdirSync(dir, { recursive: true });
    ensureJarCopy(jar, copy);
    let valid = false;
    try {
      valid = fs.readFileSync(marker, 'utf8') === stamp(archive, copy);
    } catch (e) {
      // no archive or no marker yet
    }
    if (valid) {
      return {
        jar: copy,
        jvmOptions: [...jvmOptions, `-XX:SharedArchiveFile=${ref(archive)}`, ...QUIET],
        finish: (status) => status,
        note: `spell-ci: class-data sharing: used ${archive}`,
      };
    }
    if (typeof fs.statfsSync === 'function') {
      const s = fs.statfsSync(dir);
      if (s.bavail * s.bsize < MIN_FREE_BYTES) return without(`less than 256 MB free in ${dir}`);
    }
    // Written under a name of its own and renamed into place after the JVM has exited, so that a concurrent job
    // maps either a complete archive or none. (JDK 19+'s -XX:+AutoCreateSharedArchive writes in place.)
    const tmp = tempName(archive);
    fs.writeFileSync(tmp, '', { flag: 'wx' }); // proves the folder takes new files before the JVM is asked to
    const statusFile = `${tmp}.status`;
    const result = {
      jar: copy,
      jvmOptions: [...jvmOptions, `-XX:ArchiveClassesAtExit=${ref(tmp)}`, `-Dspellci.exit-status-file=${ref(statusFile)}`,
        ...QUIET],
      note: '',
      finish(status) {
        // A JVM that cannot finish writing the archive exits with 1 after the step's work: the step's own code is
        // the one Main recorded before exiting.
        const recorded = sys.readText(statusFile);
        unlinkQuietly(statusFile);
        try {
          if (fs.statSync(tmp).size === 0) throw new Error('the JVM wrote no archive');
          try {
            fs.chmodSync(archive, 0o644); // the JVM makes archives read-only, which Windows will not rename over
          } catch (e) {
            // none there yet
          }
          fs.renameSync(tmp, archive);
          const markerTmp = tempName(marker);
          fs.writeFileSync(markerTmp, stamp(archive, copy));
          fs.renameSync(markerTmp, marker);
          result.note = `spell-ci: class-data sharing: made ${archive} for later steps`;
        } catch (e) {
          unlinkQuietly(tmp);
          result.note = `spell-ci: class-data sharing: no archive made in ${dir} (${e.message})`;
        }
        if (status !== null && recorded !== null && /^\d+$/.test(recorded.trim()) && Number(recorded) !== status) {
          return Number(recorded);
        }
        return status;
      },
    };
    return result;
  } catch (e) {
    return without(`${e.code || ''} ${e.message}`.trim());
  }
}

module.exports = { setting, inputDecides, enabled, prepare, jarId, DIR };
