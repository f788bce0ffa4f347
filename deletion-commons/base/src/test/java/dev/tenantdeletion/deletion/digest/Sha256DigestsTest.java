package dev.tenantdeletion.deletion.digest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.security.MessageDigest;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** NSS' SHA-256 gives the JDK's digest, chunk by chunk and cloned midway; off, absent or misnamed, the JDK's own is used. */
class Sha256DigestsTest {

    private static final Sha256Digests NSS = new Sha256Digests(() -> Sha256Digests.AUTO);

    @Test
    void onThisPlatformNssIsFoundWhereTheDistributionPutsIt() {
        // Debian's and Red Hat's OpenJDK packages both depend on NSS (libnss3 / nss-softokn)
        assertNotNull(Sha256Digests.nss(Sha256Digests.AUTO), "no libsoftokn3.so in " + Sha256Digests.USUAL_DIRECTORIES);
        assertEquals("SunPKCS11-ExportSha256", NSS.providerName());
    }

    @Test
    void offOrAnEmptyDirectoryLeavesTheJdksOwn() {
        assertNull(Sha256Digests.nss(Sha256Digests.OFF));
        assertNull(Sha256Digests.nss("/nonexistent/nss"));
        assertEquals("SUN", new Sha256Digests(() -> Sha256Digests.OFF).providerName());
    }

    @Test
    void everyChunkingAndEveryCloneGivesTheJdksDigest() throws Exception {
        Random random = new Random(7);
        for (int size : new int[] {0, 1, 55, 56, 63, 64, 65, 1_000, 165_000, 1_000_003}) {
            byte[] data = new byte[size];
            random.nextBytes(data);
            byte[] expected = jdk().digest(data);
            MessageDigest digest = NSS.newDigest();
            MessageDigest clone = null;
            int cloneAt = size / 3;
            for (int at = 0; at < size; ) {
                int length = Math.min(size - at, 1 + random.nextInt(70_000));
                if (clone == null && at + length > cloneAt) {
                    digest.update(data, at, cloneAt - at);
                    clone = (MessageDigest) digest.clone();
                    at = cloneAt;
                    continue;
                }
                digest.update(data, at, length);
                at += length;
            }
            if (clone == null) {
                clone = (MessageDigest) digest.clone();
                cloneAt = size;
            }
            assertArrayEquals(expected, digest.digest(), "size " + size);
            clone.update(data, cloneAt, size - cloneAt);
            assertArrayEquals(expected, clone.digest(), "the clone, size " + size);
            // a digest is reset by digest(): the same object hashes the next input afresh
            assertArrayEquals(jdk().digest(new byte[] {'x'}), digest.digest(new byte[] {'x'}));
        }
    }

    private static MessageDigest jdk() throws Exception {
        return MessageDigest.getInstance("SHA-256", "SUN");
    }
}
