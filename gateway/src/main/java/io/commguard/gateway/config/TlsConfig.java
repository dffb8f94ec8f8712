package io.commguard.gateway.config;

/** PEM files for TLS: the CA to trust and, for mutual TLS, this side's certificate and key. */
public record TlsConfig(String caFile, String certFile, String keyFile) {}
