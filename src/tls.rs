//! TLS for the HTTP client that [`ClientBuilder::build`](crate::ClientBuilder::build)
//! makes: which stack the features select, and its setup.
//!
//! The features choose one backend: the first of `native-tls`, `rustls-aws-lc`
//! and `rustls` that is on. Opt-ins win over the default, so a user who turns
//! one on but forgets `default-features = false` still gets what they asked
//! for (reqwest itself prefers native-tls the same way).
//!
//! The rustls backends get a `ClientConfig` built here rather than by reqwest:
//! reqwest's `rustls-no-provider` leaves it without a crypto provider of its
//! own (that is what keeps aws-lc out of the default build), and the other way
//! to give it one, rustls's process-wide `install_default()`, would decide for
//! the whole program, which a library must not do.

use crate::Error;

/// A TLS stack this build of the crate can use.
///
/// Not public API: reached through `__private` by the crate's TLS tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Backend {
    /// rustls with the ring provider and the platform verifier (feature `rustls`).
    #[cfg(feature = "rustls")]
    RustlsRing,
    /// rustls with the aws-lc provider and the platform verifier (feature `rustls-aws-lc`).
    #[cfg(feature = "rustls-aws-lc")]
    RustlsAwsLc,
    /// The platform's TLS library, OpenSSL on Linux (feature `native-tls`).
    #[cfg(feature = "native-tls")]
    NativeTls,
}

impl Backend {
    /// Every backend compiled in, the one [`selected`](Self::selected) first.
    pub const COMPILED: &'static [Backend] = &[
        #[cfg(feature = "native-tls")]
        Backend::NativeTls,
        #[cfg(feature = "rustls-aws-lc")]
        Backend::RustlsAwsLc,
        #[cfg(feature = "rustls")]
        Backend::RustlsRing,
    ];

    /// The backend the client builder uses, `None` when no TLS feature is on.
    pub fn selected() -> Option<Backend> {
        Self::COMPILED.first().copied()
    }

    /// A short name for messages: `rustls (ring)`, `rustls (aws-lc)`, `native-tls`.
    pub fn name(self) -> &'static str {
        match self {
            #[cfg(feature = "rustls")]
            Backend::RustlsRing => "rustls (ring)",
            #[cfg(feature = "rustls-aws-lc")]
            Backend::RustlsAwsLc => "rustls (aws-lc)",
            #[cfg(feature = "native-tls")]
            Backend::NativeTls => "native-tls",
        }
    }

    /// A reqwest builder set up for this backend, trusting `extra_roots`
    /// (DER certificates) beside the platform's roots. ALPN offers `h2`, then
    /// `http/1.1`.
    #[cfg_attr(
        not(any(feature = "rustls", feature = "rustls-aws-lc", feature = "native-tls")),
        allow(unused_variables)
    )]
    pub(crate) fn http_client_builder(
        self,
        extra_roots: &[Vec<u8>],
    ) -> Result<reqwest::ClientBuilder, Error> {
        let builder = reqwest::Client::builder();
        match self {
            #[cfg(feature = "rustls")]
            Backend::RustlsRing => {
                let provider = rustls::crypto::ring::default_provider();
                Ok(builder.tls_backend_preconfigured(rustls_config(provider, extra_roots)?))
            }
            #[cfg(feature = "rustls-aws-lc")]
            Backend::RustlsAwsLc => {
                let provider = rustls::crypto::aws_lc_rs::default_provider();
                Ok(builder.tls_backend_preconfigured(rustls_config(provider, extra_roots)?))
            }
            #[cfg(feature = "native-tls")]
            Backend::NativeTls => {
                // reqwest sets ALPN itself for native-tls (its `native-tls` feature
                // includes ALPN); roots are merged with the platform's.
                let roots = extra_roots
                    .iter()
                    .map(|der| reqwest::Certificate::from_der(der))
                    .collect::<Result<Vec<_>, _>>()
                    .map_err(|e| Error::config(format!("cannot read a root certificate: {e}")))?;
                Ok(builder.tls_backend_native().tls_certs_merge(roots))
            }
        }
    }
}

/// The reqwest builder [`ClientBuilder::build`](crate::ClientBuilder::build)
/// starts from for `base_url`: see [`http_client_builder`]. Refuses `https://`
/// when no TLS feature is on, rather than failing at the first request.
pub(crate) fn http_client_builder_for(base_url: &str) -> Result<reqwest::ClientBuilder, Error> {
    if Backend::selected().is_none() && base_url.starts_with("https:") {
        return Err(Error::config(
            "https needs a TLS feature, and this build of hibob has none: enable `rustls` \
             (the default), `rustls-aws-lc` or `native-tls`",
        ));
    }
    http_client_builder()
}

/// A reqwest builder with the selected backend's TLS setup or, with no TLS
/// feature, a plain one that can only reach `http://` URLs. reqwest's own
/// `Client::builder()` would panic in the default ring-only build: it has no
/// provider of its own there.
pub(crate) fn http_client_builder() -> Result<reqwest::ClientBuilder, Error> {
    match Backend::selected() {
        Some(backend) => backend.http_client_builder(&[]),
        None => Ok(reqwest::Client::builder()),
    }
}

/// A rustls client config on `provider` with the platform verifier (as
/// reqwest builds its own), TLS 1.2 and 1.3, and ALPN `h2`, `http/1.1`.
#[cfg(any(feature = "rustls", feature = "rustls-aws-lc"))]
fn rustls_config(
    provider: rustls::crypto::CryptoProvider,
    extra_roots: &[Vec<u8>],
) -> Result<rustls::ClientConfig, Error> {
    use std::sync::Arc;

    let provider = Arc::new(provider);
    let verifier = platform_verifier(provider.clone(), extra_roots).map_err(tls_setup_error)?;
    let mut config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(tls_setup_error)?
        // "Dangerous" only in that rustls cannot vouch for a custom verifier;
        // the platform verifier checks the chain and the host name.
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(verifier))
        .with_no_client_auth();
    // reqwest sets ALPN only on configs it builds itself; without this, every
    // connection would silently be HTTP/1.1.
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(config)
}

#[cfg(any(feature = "rustls", feature = "rustls-aws-lc"))]
fn platform_verifier(
    provider: std::sync::Arc<rustls::crypto::CryptoProvider>,
    extra_roots: &[Vec<u8>],
) -> Result<rustls_platform_verifier::Verifier, rustls::Error> {
    use rustls_platform_verifier::Verifier;

    if extra_roots.is_empty() {
        return Verifier::new(provider);
    }
    #[cfg(not(target_os = "android"))]
    {
        let roots = extra_roots
            .iter()
            .map(|der| rustls::pki_types::CertificateDer::from(der.clone()));
        Verifier::new_with_extra_roots(roots, provider)
    }
    #[cfg(target_os = "android")]
    Err(rustls::Error::General(
        "extra root certificates are not supported on Android".to_owned(),
    ))
}

#[cfg(any(feature = "rustls", feature = "rustls-aws-lc"))]
fn tls_setup_error(e: rustls::Error) -> Error {
    Error::config(format!(
        "cannot set up TLS ({e}); on Linux the certificate verifier reads the system's CA \
         certificates: install them (the `ca-certificates` package on Debian and Ubuntu)"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_compiled_backend_wins() {
        let expected = if cfg!(feature = "native-tls") {
            Some("native-tls")
        } else if cfg!(feature = "rustls-aws-lc") {
            Some("rustls (aws-lc)")
        } else if cfg!(feature = "rustls") {
            Some("rustls (ring)")
        } else {
            None
        };
        assert_eq!(Backend::selected().map(Backend::name), expected);
        let on = [
            cfg!(feature = "rustls"),
            cfg!(feature = "rustls-aws-lc"),
            cfg!(feature = "native-tls"),
        ];
        assert_eq!(Backend::COMPILED.len(), on.iter().filter(|on| **on).count());
    }

    #[test]
    fn without_tls_only_plain_http_builds() {
        let plain = http_client_builder_for("http://127.0.0.1:8080/v1");
        assert!(plain.is_ok());
        let https = http_client_builder_for("https://api.hibob.com/v1");
        match Backend::selected() {
            Some(_) => assert!(https.is_ok()),
            None => {
                let err = https.unwrap_err();
                assert!(err.to_string().contains("enable `rustls`"), "{err}");
            }
        }
    }

    #[cfg(any(feature = "rustls", feature = "rustls-aws-lc"))]
    fn self_signed() -> Vec<u8> {
        let cert = rcgen::generate_simple_self_signed(vec!["localhost".to_owned()]).unwrap();
        cert.cert.der().to_vec()
    }

    #[cfg(feature = "rustls")]
    #[test]
    fn ring_config_offers_h2_then_http1_on_ring() {
        let config =
            rustls_config(rustls::crypto::ring::default_provider(), &[self_signed()]).unwrap();
        assert_eq!(config.alpn_protocols, [&b"h2"[..], &b"http/1.1"[..]]);
        let random = format!("{:?}", config.crypto_provider().secure_random);
        assert_eq!(random, "Ring");
    }

    #[cfg(feature = "rustls-aws-lc")]
    #[test]
    fn aws_lc_config_offers_h2_then_http1_on_aws_lc() {
        let provider = rustls::crypto::aws_lc_rs::default_provider();
        let config = rustls_config(provider, &[self_signed()]).unwrap();
        assert_eq!(config.alpn_protocols, [&b"h2"[..], &b"http/1.1"[..]]);
        let random = format!("{:?}", config.crypto_provider().secure_random);
        assert_eq!(random, "AwsLcRs");
    }

    #[test]
    fn a_malformed_root_is_a_config_error() {
        for backend in Backend::COMPILED {
            let err = backend
                .http_client_builder(&[b"not a certificate".to_vec()])
                .unwrap_err();
            assert!(
                matches!(err, Error::Config { .. }),
                "{}: {err}",
                backend.name()
            );
        }
    }
}
