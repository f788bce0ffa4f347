package dev.tenantdeletion.deletion.digest;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Where an export's SHA-256 is computed (env: DELETION_EXPORT_NSS_LIBRARY_DIRECTORY); see {@link Sha256Digests}. */
@ConfigMapping(prefix = "deletion.export")
public interface ExportDigestSettings {

    /**
     * The directory of NSS' {@code libsoftokn3.so}; {@code auto} looks where Red Hat (the images' UBI) and Debian put it,
     * {@code off} keeps the JDK's own SHA-256.
     */
    @WithDefault(Sha256Digests.AUTO)
    String nssLibraryDirectory();
}
