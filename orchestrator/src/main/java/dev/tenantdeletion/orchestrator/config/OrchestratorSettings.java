package dev.tenantdeletion.orchestrator.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every {@code deletion.*} setting the orchestrator reads (SmallRye validates the whole prefix, so all of
 * them are mapped here, the shared feature flag included). Their bounds are checked at start-up by
 * {@link SettingsValidation}.
 */
@ConfigMapping(prefix = "deletion")
public interface OrchestratorSettings {

    /** DELETION_ENABLED: the feature flag. When false no new job, retry or resumed job calls any DELETE. */
    @WithDefault("true")
    boolean enabled();

    /** The service registry: deletion.services.&lt;name&gt;.url / .timeout / .enabled / .audience. */
    Map<String, Service> services();

    Retry retry();

    Jobs jobs();

    Token token();

    Certificates certificates();

    /** deletion.reverify.*: the re-verification of erased tenants (third edition). */
    Reverify reverify();

    interface Service {
        /** Base URL including the service's base path, e.g. http://pos:8081/api/v1/pos. */
        String url();

        /** Time allowed for one HTTP call (each attempt) to this service. */
        @WithDefault("30s")
        Duration timeout();

        /** A registered service can be switched off without removing it (e.g. a default from application.properties). */
        @WithDefault("true")
        boolean enabled();

        /**
         * The {@code aud} of the tokens the orchestrator sends this service (DELETION_SERVICES_&lt;NAME&gt;_AUDIENCE);
         * unset, the registry name. It must be what the service verifies (its MP_JWT_VERIFY_AUDIENCES).
         */
        Optional<String> audience();
    }

    interface Retry {
        /** Attempts per service call, the first included. Retried: timeouts, connection errors, 5xx. Never 4xx. */
        @WithDefault("3")
        int maxAttempts();

        /** Wait before the first retry; doubled for each further one (plus up to 20% jitter). */
        @WithDefault("500ms")
        Duration initialBackoff();

        /** Upper bound of one wait between attempts. */
        @WithDefault("30s")
        Duration maxBackoff();

        /**
         * How long a service that is not there (connection refused or lost, timeouts, 502/503/504: a restart or a
         * rolling deploy) is retried before its service run fails, counted from the call's first attempt; PT0S: only
         * {@link #maxAttempts()} attempts. A 500 (the service's own fault) gets {@link #maxAttempts()} attempts.
         */
        @WithDefault("PT10M")
        Duration horizon();
    }

    interface Jobs {
        /** How long a replica's claim on a running job lasts without renewal; renewed every third of it. */
        @WithDefault("30s")
        Duration lease();

        /** How often a replica looks for pending jobs and jobs whose lease expired (a dead replica's). */
        @WithDefault("10s")
        Duration sweepInterval();

        /**
         * Jobs one replica runs at the same time, however they start (new, retried, swept, resumed); the
         * others stay pending in the store until a claim ends or a sweep finds room.
         */
        @WithDefault("20")
        int maxConcurrent();

        /**
         * At shutdown: how long claims in flight may still finish before this replica gives up their leases
         * (another replica then resumes them at once; the Idempotency-Key keeps the counts exact).
         */
        @WithDefault("10s")
        Duration shutdownGrace();

        /**
         * The grace period of a job whose request names neither {@code grace_period} nor {@code execute_after}
         * (PT0S: it starts at once; at most P90D). A job with a grace period is
         * {@code scheduled} until it passes.
         */
        @WithDefault("PT0S")
        Duration defaultGracePeriod();

        /**
         * DELETE calls one service run may make in a claim (continuations after {@code complete: false} and retries
         * alike) before it fails: a tenant whose application keeps writing as fast as the service deletes would otherwise
         * keep a job, a slot and the service busy forever. At the budget of half a 30 s timeout, 10,000 calls are
         * about 40 hours of deleting.
         */
        @WithDefault("10000")
        int maxCalls();
    }

    interface Token {
        /** Lifetime of the service tokens the orchestrator mints for its outbound calls. */
        @WithDefault("5m")
        Duration lifetime();
    }

    interface Certificates {
        /**
         * DELETION_CERTIFICATES_SIGN_KEY_LOCATION: the PKCS#8 PEM RSA key (at least 2048 bits) that signs deletion
         * certificates; unset, the token signing key (smallrye.jwt.sign.key.location) signs them.
         */
        Optional<String> signKeyLocation();

        /**
         * DELETION_CERTIFICATES_RETIRED_KEYS: PEM public keys (comma-separated files) that signed earlier certificates;
         * the JWKS keeps publishing them after the current key, so those certificates stay verifiable.
         */
        Optional<List<String>> retiredKeys();
    }

    interface Reverify {
        /**
         * Every erased tenant is checked against every registered service at least this often (a service never swept
         * is swept at once); PT0S switches the periodic sweep off (POST /api/v1/reverifications still runs one).
         */
        @WithDefault("P1D")
        Duration interval();

        /** A follow-up job is scheduled this long after its rows were found (PT0S: pending at once; at most P90D). */
        @WithDefault("P3D")
        Duration gracePeriod();

        /** Tenant ids per deletion-check call, and per page of erased tenants read from the job store (1..1000). */
        @WithDefault("1000")
        int batchSize();

        /** How often a replica looks whether a sweep is due (or a dead replica's sweep is left to take over). */
        @WithDefault("1m")
        Duration poll();

        /**
         * A pause between two pages of a sweep (PT0S: none), so a sweep does not take the cores from running jobs for
         * its whole length; it lengthens a sweep by pause × pages (100 pages for 100,000 erased tenants).
         */
        @WithDefault("50ms")
        Duration pagePause();
    }
}
