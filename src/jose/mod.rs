//! Token analysis: JWS and JWE (RFC 7515, 7516, 7519).
