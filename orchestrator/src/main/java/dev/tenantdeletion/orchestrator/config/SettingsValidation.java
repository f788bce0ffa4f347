package dev.tenantdeletion.orchestrator.config;

import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import java.net.URI;
import java.security.interfaces.RSAPrivateCrtKey;
import java.time.Duration;
import java.util.Map;

/**
 * Every bound of the {@code deletion.*} settings, checked once at start-up before any other start-up work
 * reads them: a replica with a setting out of bounds refuses to start (an {@link IllegalArgumentException}
 * naming the property) rather than run with it.
 */
@ApplicationScoped
public class SettingsValidation {

    /** The longest grace period the contract allows. */
    public static final Duration MAX_GRACE_PERIOD = Duration.ofDays(90);

    /** The certificate key's setting, as an operator writes it and as it is mapped. */
    public static final String SIGN_KEY_SETTING = "deletion.certificates.sign-key-location (DELETION_CERTIFICATES_SIGN_KEY_LOCATION)";

    /** The retired certificate keys' setting. */
    public static final String RETIRED_KEYS_SETTING = "deletion.certificates.retired-keys (DELETION_CERTIFICATES_RETIRED_KEYS)";

    /** The smallest RSA modulus a certificate key may have: common JOSE verifiers (jose4j, for one) refuse smaller keys. */
    public static final int MIN_CERTIFICATE_KEY_BITS = 2048;

    /** Claims without any progress for this many leases stop renewing their lease (the stall guard). */
    public static final int STALL_LEASES = 3;

    private final OrchestratorSettings settings;

    public SettingsValidation(OrchestratorSettings settings) {
        this.settings = settings;
    }

    void onStart(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent event) {
        validate(settings);
    }

    /** Refuses settings out of bounds: services, retries, jobs, and certificate keys that cannot be read. */
    public static void validate(OrchestratorSettings settings) {
        for (Map.Entry<String, OrchestratorSettings.Service> entry : settings.services().entrySet()) {
            if (entry.getValue().enabled()) {
                service(entry.getKey(), entry.getValue());
            }
        }
        retry(settings.retry());
        jobs(settings.jobs());
        certificates(settings.certificates());
        reverify(settings.reverify());
    }

    /** The largest batch the deletion check accepts (the contract: 1 to 1,000 tenant ids a request). */
    public static final int MAX_REVERIFY_BATCH = 1000;

    static void reverify(OrchestratorSettings.Reverify reverify) {
        if (reverify.interval().isNegative()) {
            throw new IllegalArgumentException("deletion.reverify.interval must be PT0S (off) or positive, is " + reverify.interval());
        }
        if (reverify.gracePeriod().isNegative() || reverify.gracePeriod().compareTo(MAX_GRACE_PERIOD) > 0) {
            throw new IllegalArgumentException("deletion.reverify.grace-period must be between PT0S and " + MAX_GRACE_PERIOD + ", is "
                    + reverify.gracePeriod());
        }
        if (reverify.batchSize() < 1 || reverify.batchSize() > MAX_REVERIFY_BATCH) {
            throw new IllegalArgumentException("deletion.reverify.batch-size must be between 1 and " + MAX_REVERIFY_BATCH + ", is "
                    + reverify.batchSize());
        }
        if (reverify.poll().compareTo(Duration.ofMillis(100)) < 0) {
            throw new IllegalArgumentException("deletion.reverify.poll must be at least 100ms, is " + reverify.poll());
        }
        if (reverify.pagePause().isNegative() || reverify.pagePause().compareTo(Duration.ofSeconds(10)) > 0) {
            throw new IllegalArgumentException("deletion.reverify.page-pause must be between PT0S and 10s, is " + reverify.pagePause());
        }
    }

    /** A service's base URL as configured, without surrounding blanks and trailing slashes. */
    public static String baseUrl(OrchestratorSettings.Service service) {
        String url = service.url().strip();
        while (url.endsWith("/")) {
            url = url.substring(0, url.length() - 1);
        }
        return url;
    }

    private static void service(String name, OrchestratorSettings.Service service) {
        String url = baseUrl(service);
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("deletion.services." + name + ".url is not a URL: " + url, e);
        }
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("deletion.services." + name + ".url must be an http(s) URL with a host: " + url);
        }
        requirePositive("deletion.services." + name + ".timeout", service.timeout());
        if (service.audience().isPresent() && service.audience().get().isBlank()) {
            throw new IllegalArgumentException("deletion.services." + name + ".audience is blank: leave it unset for the registry name");
        }
    }

    /** The aud of the tokens sent to a service: its audience setting, else its registry name. */
    public static String audience(String name, OrchestratorSettings.Service service) {
        return service.audience().map(String::strip).filter(a -> !a.isEmpty()).orElse(name);
    }

    private static void retry(OrchestratorSettings.Retry retry) {
        if (retry.maxAttempts() < 1) {
            throw new IllegalArgumentException("deletion.retry.max-attempts must be at least 1, is " + retry.maxAttempts());
        }
        requirePositive("deletion.retry.initial-backoff", retry.initialBackoff());
        requirePositive("deletion.retry.max-backoff", retry.maxBackoff());
        if (retry.horizon().isNegative()) {
            throw new IllegalArgumentException("deletion.retry.horizon must not be negative, is " + retry.horizon());
        }
    }

    private static void jobs(OrchestratorSettings.Jobs jobs) {
        requirePositive("deletion.jobs.lease", jobs.lease());
        requirePositive("deletion.jobs.sweep-interval", jobs.sweepInterval());
        if (jobs.maxCalls() < 1) {
            throw new IllegalArgumentException("deletion.jobs.max-calls must be at least 1, is " + jobs.maxCalls());
        }
        if (jobs.shutdownGrace().isNegative()) {
            throw new IllegalArgumentException("deletion.jobs.shutdown-grace must not be negative, is " + jobs.shutdownGrace());
        }
        if (jobs.defaultGracePeriod().isNegative() || jobs.defaultGracePeriod().compareTo(MAX_GRACE_PERIOD) > 0) {
            throw new IllegalArgumentException("deletion.jobs.default-grace-period must be from PT0S to P90D, is " + jobs.defaultGracePeriod());
        }
        if (jobs.maxConcurrent() < 1) {
            throw new IllegalArgumentException("deletion.jobs.max-concurrent must be at least 1, is " + jobs.maxConcurrent());
        }
    }

    /** The key files are read here, so a bad one stops the start-up with the setting's name rather than the first certificate. */
    private static void certificates(OrchestratorSettings.Certificates certificates) {
        certificates.signKeyLocation().ifPresent(location -> {
            RSAPrivateCrtKey key = KeyFiles.privateKey(location, SIGN_KEY_SETTING);
            int bits = key.getModulus().bitLength();
            if (bits < MIN_CERTIFICATE_KEY_BITS) {
                throw new IllegalArgumentException(SIGN_KEY_SETTING + ": " + location + " is a " + bits + "-bit RSA key; at least "
                        + MIN_CERTIFICATE_KEY_BITS + " bits are needed");
            }
        });
        certificates.retiredKeys().ifPresent(files -> files.stream().filter(file -> !file.isBlank())
                .forEach(file -> KeyFiles.publicKey(file, RETIRED_KEYS_SETTING)));
    }

    private static void requirePositive(String property, Duration value) {
        if (value.isZero() || value.isNegative()) {
            throw new IllegalArgumentException(property + " must be positive, is " + value);
        }
    }

    /**
     * A healthy claim is silent at most for one call (the longest timeout) plus the longest wait before the
     * next attempt; the stall guard gives up after {@link #STALL_LEASES} leases of silence. If that is shorter,
     * healthy claims would lose their lease and be taken over (harmless for the counts, thanks to the
     * Idempotency-Key, but wasted work). The longest wait is the fan-out's retry policy's, so the lease
     * keeping passes it in.
     */
    public static void warnIfStallGuardTooTight(OrchestratorSettings settings, Duration longestWaitBetweenAttempts) {
        Duration longestTimeout = settings.services().values().stream().filter(OrchestratorSettings.Service::enabled)
                .map(OrchestratorSettings.Service::timeout).max(Duration::compareTo).orElse(Duration.ZERO);
        Duration quietest = longestTimeout.plus(longestWaitBetweenAttempts);
        Duration lease = settings.jobs().lease();
        Duration stallAfter = lease.multipliedBy(STALL_LEASES);
        if (stallAfter.compareTo(quietest) <= 0) {
            Log.warnf("deletion.jobs.lease %s is short: a claim is considered stalled after %s without progress, but one call "
                    + "(timeout %s) plus the longest wait between attempts (%s) may take %s; raise the lease above %s",
                    lease, stallAfter, longestTimeout, longestWaitBetweenAttempts, quietest, quietest.dividedBy(STALL_LEASES));
        }
    }
}
