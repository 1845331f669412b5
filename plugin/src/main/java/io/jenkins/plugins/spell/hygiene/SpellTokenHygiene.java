package io.jenkins.plugins.spell.hygiene;

import io.jenkins.plugins.spell.SpellTokenCredentialsImpl;
import io.jenkins.plugins.spell.SpellConfiguration;
import io.jenkins.plugins.spell.SpellClients;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.ExtensionList;
import hudson.model.AsyncPeriodicWork;
import hudson.model.TaskListener;
import hudson.security.ACL;
import hudson.security.ACLContext;
import hudson.util.Secret;
import io.spellci.core.InvalidInputException;
import io.spellci.core.api.ApiUrl;
import io.spellci.core.api.RetryPolicy;
import io.spellci.core.api.SpellApi;
import io.spellci.core.api.SpellApiException;
import io.spellci.core.api.TokenInfo;
import io.spellci.core.credentials.AccessToken;
import io.spellci.core.ephemeral.EphemeralTokens;
import io.spellci.core.hygiene.RotationException;
import io.spellci.core.hygiene.SweepRule;
import io.spellci.core.hygiene.TokenAudit;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import org.kohsuke.accmod.Restricted;
import org.kohsuke.accmod.restrictions.NoExternalUse;

/**
 * The periodic token hygiene check, off until an administrator turns it on, and only against an API URL that was
 * configured: one {@code GET users/me/access_tokens} per distinct stored token (of the system store and of folder
 * stores). It records what needs attention for {@link SpellTokenHygieneMonitor}, deletes rotated-out tokens once
 * nothing uses them, carries out "Rotate every N days", and, when the sweep is on, deletes the per-build tokens this
 * controller made for builds that have ended. The first network error, timeout, 5xx or 429 stops the run, with one
 * line saying so; the findings before it stay. It never runs a build and never prints a token.
 */
@Extension
@Restricted(NoExternalUse.class)
public class SpellTokenHygiene extends AsyncPeriodicWork {
    private static final Logger LOGGER = Logger.getLogger(SpellTokenHygiene.class.getName());

    /** The time the rules use; tests share the fake Spell API's clock so that tokens age without waiting. */
    static volatile Clock clock = Clock.systemUTC();
    /** Between two calls of one check, so that a check of many tokens is no burst; tests set it to zero. */
    static volatile Duration pause = Duration.ofMillis(250);

    public SpellTokenHygiene() {
        super("Spell token hygiene");
    }

    public static Instant now() {
        return clock.instant();
    }

    @NonNull
    static SpellTokenHygiene get() {
        return ExtensionList.lookupSingleton(SpellTokenHygiene.class);
    }

    /** Wakes up often and runs when the configured interval has passed, so a changed interval applies at once. */
    @Override
    public long getRecurrencePeriod() {
        return 15 * MIN;
    }

    @Override
    protected void execute(TaskListener listener) {
        SpellHygieneConfiguration config = SpellHygieneConfiguration.get();
        long last = SpellHygieneState.get().getLastCheck();
        if (!config.isCheckEnabled() || (last != 0 && now().toEpochMilli() - last < config.interval().toMillis())) {
            return;
        }
        check(listener);
    }

    /** One full check now, whatever the interval (also what the periodic work runs). */
    synchronized void check(@NonNull TaskListener listener) {
        try (ACLContext ignored = ACL.as2(ACL.SYSTEM2)) {
            run(listener.getLogger());
        }
    }

    /** Stops a check at the first sign that the API is down or overloaded; its message names the call. */
    private static final class Unreachable extends Exception {
        private static final long serialVersionUID = 1L;

        Unreachable(SpellApiException cause) {
            super(cause.getMessage(), cause);
        }
    }

    private void run(PrintStream log) {
        Instant now = now();
        SpellHygieneState state = SpellHygieneState.get();
        ApiUrl apiUrl;
        try {
            apiUrl = SpellConfiguration.get().configuredApiUrl();
        } catch (InvalidInputException e) {
            apiUrl = null;
        }
        if (apiUrl == null) {
            String line = Messages.SpellTokenHygiene_noApiUrl();
            log.println(line);
            state.recordProblem(now.toEpochMilli(), line);
            return;
        }
        Pass pass = new Pass(apiUrl, now, state, log);
        try {
            pass.run();
            state.recordCheck(now.toEpochMilli(), pass.entries, pass.swept, pass.sweepFailures,
                    List.copyOf(pass.foreign), List.copyOf(pass.left), pass.seenKeys);
            String summary = Messages.SpellTokenHygiene_summary(pass.tokens, pass.entries.size(), pass.swept);
            log.println(summary);
            LOGGER.fine(summary);
        } catch (Unreachable e) {
            String line = Messages.SpellTokenHygiene_unreachable(e.getMessage());
            log.println(line);
            LOGGER.info(line);
            state.recordProblem(now.toEpochMilli(), line);
        } catch (RuntimeException e) {
            // recorded all the same: a check that throws must not rerun every 15 minutes
            String line = Messages.SpellTokenHygiene_failed(e.getClass().getSimpleName());
            LOGGER.log(Level.WARNING, line, e);
            state.recordProblem(now.toEpochMilli(), line);
        }
    }

    /** One run of the check: what it found, deleted and saw. */
    private static final class Pass {
        final ApiUrl apiUrl;
        final Instant now;
        final SpellHygieneState state;
        final PrintStream log;
        final SpellHygieneConfiguration config = SpellHygieneConfiguration.get();
        final List<SpellHygieneEntry> entries = new ArrayList<>();
        final List<String> sweepFailures = new ArrayList<>();
        final Set<String> foreign = new LinkedHashSet<>();
        final Set<String> left = new LinkedHashSet<>();
        final Set<String> seenKeys = new HashSet<>();
        final Set<String> listedNames = new HashSet<>();
        int swept;
        int tokens;
        int calls;

        Pass(ApiUrl apiUrl, Instant now, SpellHygieneState state, PrintStream log) {
            this.apiUrl = apiUrl;
            this.now = now;
            this.state = state;
            this.log = log;
        }

        void run() throws Unreachable {
            // grouped by value in memory only: one listing per distinct token
            Map<String, List<SpellStoredCredential>> byToken = new LinkedHashMap<>();
            List<SpellStoredCredential> all = SpellStoredCredential.all();
            for (SpellStoredCredential stored : all) {
                seenKeys.add(stored.key());
                byToken.computeIfAbsent(Secret.toString(stored.credential().getToken()), k -> new ArrayList<>()).add(stored);
            }
            tokens = byToken.size();
            List<SpellPendingDelete> looked = state.getPendingDeletes();
            List<SpellPendingDelete> pending = new ArrayList<>(looked);
            try (SpellApi api = SpellClients.openShort(apiUrl, RetryPolicy.backgroundCheck())) {
                for (Map.Entry<String, List<SpellStoredCredential>> group : byToken.entrySet()) {
                    checkGroup(api, group.getKey(), group.getValue(), pending);
                }
            } finally {
                // what was learnt about rotated-out tokens stays, even when the run stops early; rotations of this
                // run added their own entries meanwhile
                state.updatePendingDeletes(looked, pending);
            }
            List<SpellPendingDelete> orphans = new ArrayList<>();
            for (SpellPendingDelete p : pending) {
                if (p != null && !seenKeys.contains(p.getCredentialKey())) {
                    orphans.add(p);
                }
            }
            if (!orphans.isEmpty()) {
                state.updatePendingDeletes(orphans, List.of());
                for (SpellPendingDelete p : orphans) {
                    String line = Messages.SpellTokenHygiene_pendingOrphan(p.getOldName(), p.getCredentialId());
                    log.println(line);
                    state.addRotationWarning(line);
                }
            }
        }

        private List<TokenInfo> list(SpellApi api, AccessToken token) throws SpellApiException, Unreachable {
            pace();
            try {
                return api.listTokens(token);
            } catch (SpellApiException e) {
                if (e.isTransient()) {
                    throw new Unreachable(e);
                }
                throw e;
            }
        }

        private void pace() {
            if (calls++ > 0 && !pause.isZero()) {
                try {
                    Thread.sleep(pause.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        private void checkGroup(SpellApi api, String value, List<SpellStoredCredential> credentials,
                List<SpellPendingDelete> pending) throws Unreachable {
            AccessToken token;
            try {
                token = AccessToken.of(value, "token");
            } catch (InvalidInputException e) {
                for (SpellStoredCredential c : credentials) {
                    entries.add(entry(c, null, null, List.of(e.getMessage()), Messages.SpellTokenHygiene_todoNewToken()));
                }
                return;
            }
            List<TokenInfo> listed;
            try {
                listed = list(api, token);
            } catch (SpellApiException e) {
                boolean rejected = e.kind() == SpellApiException.Kind.UNAUTHORIZED;
                for (SpellStoredCredential c : credentials) {
                    entries.add(entry(c, null, null,
                            List.of(rejected ? TokenAudit.Finding.REJECTED.text() : Messages.SpellTokenHygiene_notChecked(e.getMessage())),
                            rejected ? Messages.SpellTokenHygiene_todoNewToken() : Messages.SpellTokenHygiene_todoRetry()));
                }
                return;
            }
            listed.forEach(t -> listedNames.add(t.name()));
            for (SpellStoredCredential c : credentials) {
                SpellHygieneEntry e = checkOne(c, credentials, listed);
                if (e != null) {
                    entries.add(e);
                }
            }
            Set<String> keys = credentials.stream().map(SpellStoredCredential::key).collect(Collectors.toSet());
            // a rotated-out name that a credential holding this token carries again (a form saved after the
            // rotation put the old token back): that token is in use, never deleted
            Set<String> heldNames = credentials.stream().map(c -> c.credential().getTokenName())
                    .filter(java.util.Objects::nonNull).collect(Collectors.toSet());
            for (int i = 0; i < pending.size(); i++) {
                SpellPendingDelete p = pending.get(i);
                if (p != null && keys.contains(p.getCredentialKey())) {
                    pending.set(i, SpellRotations.processPending(api, token, p, listed, now, config.grace(), heldNames, log));
                }
            }
            perBuild(api, token, credentials, listed);
        }

        /**
         * Per-build tokens in this user's list, judged by core's rule: this controller's, recorded, of an ended build
         * and past their life are deleted (sweep on) or listed (sweep off); other controllers' are only reported.
         */
        private void perBuild(SpellApi api, AccessToken token, List<SpellStoredCredential> credentials, List<TokenInfo> listed)
                throws Unreachable {
            Set<String> ids = credentials.stream().map(c -> c.credential().getId()).collect(Collectors.toSet());
            SweepRule rule = SweepRule.jenkins(SpellPerBuildToken.controllerId(), config.perJobLife(), name -> {
                SpellPerBuildToken recorded = state.perBuildToken(name.name());
                return recorded != null && !recorded.buildRunning();
            }, clock);
            EphemeralTokens perBuild = new EphemeralTokens(api, token);
            Set<String> names = new HashSet<>();
            for (TokenInfo info : listed) {
                names.add(info.name());
                SweepRule.Verdict verdict = rule.judge(info);
                switch (verdict.kind()) {
                    case NOT_OURS, WITHIN_LIFE -> { }
                    case OTHER_CONTROLLER -> foreign.add(info.name());
                    case BUILD_NOT_ENDED -> {
                        if (state.perBuildToken(info.name()) == null) {
                            foreign.add(info.name()); // made before this version, or by a controller without records
                        }
                    }
                    case DELETE -> {
                        if (!config.isSweepEnabled()) {
                            left.add(info.name());
                        } else {
                            delete(perBuild, info.name());
                        }
                    }
                }
            }
            // records of tokens that are gone (deleted by their build, by hand) are forgotten, never while building
            Set<String> gone = new HashSet<>();
            for (SpellPerBuildToken t : state.getPerBuildTokens()) {
                if (ids.contains(t.getCredentialId()) && !names.contains(t.getName()) && !t.buildRunning()) {
                    gone.add(t.getName());
                }
            }
            state.removePerBuildTokens(gone);
        }

        private void delete(EphemeralTokens perBuild, String name) throws Unreachable {
            SpellPerBuildToken recorded = state.perBuildToken(name);
            pace();
            try {
                perBuild.delete(name);
                swept++;
                state.removePerBuildToken(name);
                log.println(Messages.SpellTokenHygiene_swept(name, recorded == null ? "?" : recorded.getJob(),
                        recorded == null ? 0 : recorded.getBuild()));
            } catch (SpellApiException ex) {
                if (ex.isTransient()) {
                    throw new Unreachable(ex);
                }
                sweepFailures.add(name);
                log.println(Messages.SpellTokenHygiene_sweepFailed(name, ex.getMessage()));
            } catch (InvalidInputException ex) {
                sweepFailures.add(name);
                log.println(Messages.SpellTokenHygiene_sweepFailed(name, ex.getMessage()));
            }
        }

        /** Findings for one credential, carrying out its automatic rotation when due; null when all is well. */
        private SpellHygieneEntry checkOne(SpellStoredCredential c, List<SpellStoredCredential> sameToken, List<TokenInfo> tokens) {
            SpellTokenCredentialsImpl credential = c.credential();
            String id = credential.getId();
            String name = credential.getTokenName();
            if (name == null) {
                log.println(Messages.SpellTokenHygiene_noTokenName(id, c.storeName()));
                return credential.getRotateEveryDays() > 0
                        ? entry(c, null, null, List.of(Messages.SpellRotations_noTokenName(id)), Messages.SpellTokenHygiene_todoTokenName())
                        : null;
            }
            TokenInfo info = TokenAudit.find(tokens, name);
            if (info == null) {
                return entry(c, null, null, List.of(Messages.SpellTokenHygiene_nameNotFound()), Messages.SpellTokenHygiene_todoTokenName());
            }
            // Spell marks a token used by this very check, so "use" here is what Jenkins tracked: builds binding it.
            SpellCredentialUse use = SpellCredentialUse.of(credential, now);
            Instant firstSeen = Instant.ofEpochMilli(state.firstSeen(c.key(), now.toEpochMilli()));
            Instant lastUse = use.lastUse() != null ? use.lastUse()
                    : use.usedByGoneBuilds() ? now // used, when unknown: never called unused
                    : firstSeen.isAfter(info.createdAt()) ? firstSeen : null;
            if (lastUse != null && lastUse.isAfter(now)) {
                lastUse = now;
            }
            TokenAudit audit = config.audit();
            TokenAudit.Result result = audit.audit(new TokenInfo(name, info.createdAt(), lastUse), now);
            List<String> problems = new ArrayList<>();
            Set<String> todos = new LinkedHashSet<>(); // one piece of advice per kind of finding, each said once
            int every = credential.getRotateEveryDays();
            if (every > 0 && result.age().compareTo(Duration.ofDays(every)) > 0) {
                try {
                    SpellRotations.rotate(c, Messages.SpellTokenHygiene_everyDays(every));
                    log.println(Messages.SpellTokenHygiene_rotated(id, name));
                    return null; // a fresh token: age and use start over
                } catch (RotationException | InvalidInputException e) {
                    problems.add(Messages.SpellTokenHygiene_rotationFailed(e.getMessage()));
                    todos.add(SpellCascSources.defines(id) ? Messages.SpellTokenHygiene_todoCasc()
                            : sameToken.size() > 1 ? Messages.SpellTokenHygiene_todoShared()
                            : Messages.SpellTokenHygiene_todoRotateFailed());
                }
            }
            boolean rotationSaid = !problems.isEmpty();
            for (TokenAudit.Finding f : result.findings()) {
                if (f == TokenAudit.Finding.TOO_OLD && rotationSaid) {
                    continue; // the rotation line says it
                }
                boolean unused = f == TokenAudit.Finding.NEVER_USED || f == TokenAudit.Finding.UNUSED;
                problems.add(f == TokenAudit.Finding.TOO_OLD
                        ? Messages.SpellTokenHygiene_tooOld(audit.maxAge().toDays())
                        : unused ? Messages.SpellTokenHygiene_unused(audit.unusedFor().toDays())
                        : f.text());
                todos.add(f == TokenAudit.Finding.TOO_OLD
                        ? (every > 0 ? Messages.SpellTokenHygiene_todoRotateSoon(every) : Messages.SpellTokenHygiene_todoRotate())
                        : Messages.SpellTokenHygiene_todoUnused());
            }
            if (problems.isEmpty()) {
                return null;
            }
            String lastUseText = use.lastUse() != null ? Messages.SpellTokenHygiene_buildUse(TokenAudit.describe(result.idle()))
                    : use.usedByGoneBuilds() ? Messages.SpellTokenHygiene_goneBuilds()
                    : Messages.SpellTokenHygiene_noBuildSince(firstSeen.toString());
            return entry(c, TokenAudit.describe(result.age()), lastUseText, problems, String.join(" ", todos));
        }
    }

    static SpellHygieneEntry entry(SpellStoredCredential c, String age, String lastUse, List<String> problems, String todo) {
        SpellTokenCredentialsImpl credential = c.credential();
        String tokenName = credential.displayableTokenName(); // never a token pasted into a name, not even persisted
        return new SpellHygieneEntry(c.key(), credential.getId(), c.storeName(), c.link(), credential.displayableOwner(),
                tokenName == null ? "" : tokenName,
                age == null ? "?" : age, lastUse == null ? "?" : lastUse, problems, todo);
    }
}
