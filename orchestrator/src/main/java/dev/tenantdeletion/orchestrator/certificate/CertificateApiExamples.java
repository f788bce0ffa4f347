package dev.tenantdeletion.orchestrator.certificate;

/** Examples of the certificate answers, for the OpenAPI description (the JWKS: the current key, then a retired one). */
public final class CertificateApiExamples {

    public static final String JWKS = """
            {"keys": [{"kty": "RSA", "use": "sig", "alg": "RS256", "kid": "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs",
                       "n": "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECP…",
                       "e": "AQAB"},
                      {"kty": "RSA", "use": "sig", "alg": "RS256", "kid": "w8ZsJ2cB0pTqf1XkYvA4nLr9uEhD6mGiOaS3yKtQzWc",
                       "n": "xjlCRBqkQRpQ7hJ3Kn5hWJvvAtZg2-Ap7FQ8G1MvaRZl-yBGx5HhHx9ewR9ddCJrSdOWcz1EgHAXhfrwRS4obgl…",
                       "e": "AQAB"}]}""";

    public static final String CERTIFICATE = """
            {"certificate": "eyJraWQiOiJOemJMc1hoOHVEQ2NkLTZNTndYRjRXXzdub1dYRlpBZkhreFpzUkdDOVhzIiwidHlwIjoiZGVsZXRpb24tY2VydGlmaWNhdGUrand0IiwiYWxnIjoiUlMyNTYifQ.eyJpc3MiOiLigKYifQ.c2lnbmF0dXJl",
             "claims": {"iss": "https://tenant-deletion.internal", "aud": "deletion-certificate", "sub": "3f2b6c1e-8a4d-4e0f-9b7a-2c5d8e1f0a3b",
                        "iat": 1764590400, "jti": "7c9e6679-7425-40de-944b-e07fc1f90ae7",
                        "tenant_id": "3f2b6c1e-8a4d-4e0f-9b7a-2c5d8e1f0a3b", "job_id": "7c9e6679-7425-40de-944b-e07fc1f90ae7",
                        "requested_by": "auth-service", "reason": "contract ended",
                        "created_at": "2026-11-26T12:00:00Z", "completed_at": "2026-11-26T12:00:01.200Z", "total_items_deleted": 127,
                        "services": [{"service": "pos-service",
                                      "deleted_counts": {"pos_transactions": 120, "pos_sessions": 4, "pos_devices": 2, "pos_configurations": 1},
                                      "total_deleted": 127, "verified_at": "2026-11-26T12:00:01.150Z", "retained": {}}],
                        "registry": ["pos-service"]}}""";

    public static final String NOT_ACCEPTABLE = """
            {"error": "not_acceptable", "message": "HTTP 406 Not Acceptable"}""";

    public static final String NOT_CERTIFIABLE = """
            {"error": "job_not_certifiable", "message": "only a completed and verified job has a certificate; this one is partially_failed, not verified"}""";

    private CertificateApiExamples() {
    }
}
