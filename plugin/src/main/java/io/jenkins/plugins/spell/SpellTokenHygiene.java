package io.jenkins.plugins.spell;

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
import io.spellci.core.api.SpellApi;
import io.spellci.core.api.SpellApiException;
import io.spellci.core.api.TokenInfo;
import io.spellci.core.credentials.AccessToken;
import io.spellci.core.ephemeral.EphemeralTokenName;
import io.spellci.core.ephemeral.EphemeralTokens;
import io.spellci.core.hygiene.RotationException;
import io.spellci.core.hygiene.TokenAudit;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

/**
 * The periodic token hygiene check: for every Spell credential of the system store and of folder stores, one
 * {@code GET users/me} and one {@code GET users/me/access_tokens} per distinct token; records what needs attention
 * for {@link SpellTokenHygieneMonitor}, sweeps per-build tokens left behind by credentials that made them, and
 * carries out "Rotate every N days". It never runs a build and never prints a token.
 */
@Extension
public class SpellTokenHygiene extends AsyncPeriodicWork {
    private static final Logger LOGGER = Logger.getLogger(SpellTokenHygiene.class.getName());
    /** Per-build tokens live for one build; older than this they were left behind. */
    static final Duration LEFTOVER_AFTER = Duration.ofDays(1);

    /** The time the rules use; tests share the fake Spell API's clock so that tokens age without waiting. */
    static volatile Clock clock = Clock.systemUTC();

    public SpellTokenHygiene() {
        super("Spell token hygiene");
    }

    static Instant now() {
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

    private void run(PrintStream log) {
        Instant now = now();
        SpellHygieneConfiguration config = SpellHygieneConfiguration.get();
        TokenAudit audit = config.audit();
        SpellHygieneState state = SpellHygieneState.get();
        // grouped by value in memory only: one pair of calls per distinct token
        Map<String, List<SpellStoredCredential>> byToken = new LinkedHashMap<>();
        for (SpellStoredCredential stored : SpellStoredCredential.all()) {
            byToken.computeIfAbsent(Secret.toString(stored.credential().getToken()), k -> new ArrayList<>()).add(stored);
        }
        List<SpellHygieneEntry> entries = new ArrayList<>();
        int swept = 0;
        List<String> sweepFailures = new ArrayList<>();
        ApiUrl apiUrl = SpellConfiguration.get().apiUrl();
        for (Map.Entry<String, List<SpellStoredCredential>> group : byToken.entrySet()) {
            List<SpellStoredCredential> credentials = group.getValue();
            AccessToken token;
            try {
                token = AccessToken.of(group.getKey(), "token");
            } catch (InvalidInputException e) {
                for (SpellStoredCredential c : credentials) {
                    entries.add(entry(c, null, null, List.of(e.getMessage()), Messages.SpellTokenHygiene_todoNewToken()));
                }
                continue;
            }
            try (SpellApi api = SpellClients.open(apiUrl)) {
                List<TokenInfo> tokens;
                try {
                    api.whoami(token);
                    tokens = api.listTokens(token);
                } catch (SpellApiException e) {
                    boolean rejected = e.kind() == SpellApiException.Kind.UNAUTHORIZED;
                    for (SpellStoredCredential c : credentials) {
                        entries.add(entry(c, null, null,
                                List.of(rejected ? TokenAudit.Finding.REJECTED.text() : Messages.SpellTokenHygiene_notChecked(e.getMessage())),
                                rejected ? Messages.SpellTokenHygiene_todoNewToken() : Messages.SpellTokenHygiene_todoRetry()));
                    }
                    continue;
                }
                boolean sweep = false;
                for (SpellStoredCredential c : credentials) {
                    SpellHygieneEntry e = checkOne(c, tokens, audit, state, now, log);
                    if (e != null) {
                        entries.add(e);
                    }
                    sweep |= state.madePerBuildTokens(c.credential().getId());
                }
                if (sweep) {
                    EphemeralTokens perBuild = new EphemeralTokens(api, token);
                    Instant cutoff = now.minus(LEFTOVER_AFTER);
                    for (TokenInfo info : tokens) {
                        if (EphemeralTokenName.isOurs(info.name(), EphemeralTokenName.JENKINS_PREFIX)
                                && info.createdAt().isBefore(cutoff)) {
                            try {
                                perBuild.delete(info.name());
                                swept++;
                                log.println(Messages.SpellTokenHygiene_swept(info.name()));
                            } catch (SpellApiException | InvalidInputException ex) {
                                sweepFailures.add(info.name());
                                log.println(Messages.SpellTokenHygiene_sweepFailed(info.name(), ex.getMessage()));
                            }
                        }
                    }
                }
            }
        }
        state.recordCheck(now.toEpochMilli(), entries, swept, sweepFailures);
        String summary = Messages.SpellTokenHygiene_summary(byToken.size(), entries.size(), swept);
        log.println(summary);
        LOGGER.fine(summary);
    }

    /** Findings for one credential, carrying out its automatic rotation when due; null when all is well. */
    private SpellHygieneEntry checkOne(SpellStoredCredential c, List<TokenInfo> tokens, TokenAudit audit,
            SpellHygieneState state, Instant now, PrintStream log) {
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
            return entry(c, null, null, List.of(Messages.SpellTokenHygiene_nameNotFound(name)), Messages.SpellTokenHygiene_todoTokenName());
        }
        // Spell marks a token used by this very check, so "use" here means a build binding the credential.
        Long buildUse = state.lastBuildUse(id);
        Instant firstSeen = Instant.ofEpochMilli(state.firstSeen(c.key(), now.toEpochMilli()));
        Instant lastUse = buildUse != null ? Instant.ofEpochMilli(buildUse)
                : firstSeen.isAfter(info.createdAt()) ? firstSeen : null;
        TokenAudit.Result result = audit.audit(new TokenInfo(name, info.createdAt(), lastUse), now);
        List<String> problems = new ArrayList<>();
        String todo = null;
        int every = credential.getRotateEveryDays();
        if (every > 0 && result.age().compareTo(Duration.ofDays(every)) > 0) {
            if (SpellCascSources.defines(id)) {
                problems.add(Messages.SpellTokenHygiene_cascRefused(every));
                todo = Messages.SpellTokenHygiene_todoCasc();
            } else {
                try {
                    SpellRotations.rotate(c, Messages.SpellTokenHygiene_everyDays(every));
                    log.println(Messages.SpellTokenHygiene_rotated(id, name));
                    return null; // a fresh token: age and use start over
                } catch (RotationException | InvalidInputException e) {
                    problems.add(Messages.SpellTokenHygiene_rotationFailed(e.getMessage()));
                    todo = Messages.SpellTokenHygiene_todoRotate();
                }
            }
        }
        boolean rotationSaid = !problems.isEmpty();
        for (TokenAudit.Finding f : result.findings()) {
            if (f == TokenAudit.Finding.TOO_OLD && rotationSaid) {
                continue; // the rotation line says it
            }
            problems.add(f == TokenAudit.Finding.TOO_OLD
                    ? Messages.SpellTokenHygiene_tooOld(audit.maxAge().toDays())
                    : f == TokenAudit.Finding.NEVER_USED || f == TokenAudit.Finding.UNUSED
                            ? Messages.SpellTokenHygiene_unused(audit.unusedFor().toDays())
                            : f.text());
            if (todo == null) {
                todo = f == TokenAudit.Finding.TOO_OLD ? Messages.SpellTokenHygiene_todoRotate() : Messages.SpellTokenHygiene_todoUnused();
            }
        }
        if (problems.isEmpty()) {
            return null;
        }
        String lastUseText = buildUse != null ? TokenAudit.describe(result.idle()) + " ago"
                : Messages.SpellTokenHygiene_noBuildSince(firstSeen.toString());
        return entry(c, TokenAudit.describe(result.age()), lastUseText, problems, todo);
    }

    private static SpellHygieneEntry entry(SpellStoredCredential c, String age, String lastUse, List<String> problems, String todo) {
        SpellTokenCredentialsImpl credential = c.credential();
        return new SpellHygieneEntry(c.key(), credential.getId(), c.storeName(), c.link(), credential.getOwner(),
                credential.getTokenName() == null ? "" : credential.getTokenName(),
                age == null ? "?" : age, lastUse == null ? "?" : lastUse, problems, todo);
    }
}
