//! TLS handshakes on loopback, one per TLS backend compiled in: a rustls server
//! with a self-signed certificate (rcgen), reached through `hibob::Client`.
//! It records what each client offered by ALPN and what was negotiated, and
//! echoes the HTTP version of the request it served.
#![cfg(any(feature = "rustls", feature = "rustls-aws-lc", feature = "native-tls"))]

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::extract::Request;
use axum::http::header::CONTENT_TYPE;
use axum::routing::get;
use hibob::__private::{TlsBackend, tls_http_client_builder};
use hibob::{Client, Error, RetryPolicy};
use tokio::net::{TcpListener, TcpStream};
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio_rustls::rustls::server::{Acceptor, ServerConfig};
use tokio_rustls::server::TlsStream;
use tokio_rustls::{LazyConfigAcceptor, rustls};

/// What the server saw of one client's handshake.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Handshake {
    /// The client's ALPN list, in its order.
    offered: Vec<String>,
    /// The protocol agreed on, `None` when the handshake failed.
    negotiated: Option<String>,
}

struct TlsServer {
    addr: SocketAddr,
    /// The self-signed certificate (for `localhost` and 127.0.0.1), DER.
    cert: Vec<u8>,
    handshakes: Arc<Mutex<Vec<Handshake>>>,
}

impl TlsServer {
    /// Serves `GET /v1/version` over TLS, offering `alpn` (server preference order).
    async fn start(alpn: &[&str]) -> TlsServer {
        let names = vec!["localhost".to_owned(), "127.0.0.1".to_owned()];
        let certified = rcgen::generate_simple_self_signed(names).unwrap();
        let cert = certified.cert.der().to_vec();
        let key = PrivatePkcs8KeyDer::from(certified.signing_key.serialize_der());
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let mut config = ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(
                vec![CertificateDer::from(cert.clone())],
                PrivateKeyDer::Pkcs8(key),
            )
            .unwrap();
        config.alpn_protocols = alpn.iter().map(|p| p.as_bytes().to_vec()).collect();

        let tcp = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = tcp.local_addr().unwrap();
        let handshakes = Arc::new(Mutex::new(Vec::new()));
        let listener = Listener {
            tcp,
            config: Arc::new(config),
            handshakes: handshakes.clone(),
        };
        let app = axum::Router::new().route("/v1/version", get(version));
        tokio::spawn(async move { axum::serve(listener, app).await });
        TlsServer {
            addr,
            cert,
            handshakes,
        }
    }

    fn base_url(&self) -> String {
        format!("https://127.0.0.1:{}/v1", self.addr.port())
    }

    fn handshakes(&self) -> Vec<Handshake> {
        self.handshakes.lock().unwrap().clone()
    }

    /// The handshakes once `n` are recorded: a client that refuses the
    /// certificate may return before the server has read its alert.
    async fn handshakes_when(&self, n: usize) -> Vec<Handshake> {
        let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(5);
        while self.handshakes.lock().unwrap().len() < n && tokio::time::Instant::now() < deadline {
            tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        }
        self.handshakes()
    }
}

async fn version(request: Request) -> impl axum::response::IntoResponse {
    let body = serde_json::json!({ "version": format!("{:?}", request.version()) });
    ([(CONTENT_TYPE, "application/json")], body.to_string())
}

/// Accepts TCP, records the client's ALPN offer, then completes the TLS
/// handshake (a failed one is recorded and skipped).
struct Listener {
    tcp: TcpListener,
    config: Arc<ServerConfig>,
    handshakes: Arc<Mutex<Vec<Handshake>>>,
}

impl axum::serve::Listener for Listener {
    type Io = TlsStream<TcpStream>;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        loop {
            let Ok((tcp, addr)) = self.tcp.accept().await else {
                continue;
            };
            let Ok(start) = LazyConfigAcceptor::new(Acceptor::default(), tcp).await else {
                continue;
            };
            let offered = start
                .client_hello()
                .alpn()
                .map(|protocols| protocols.map(lossy).collect())
                .unwrap_or_default();
            let stream = start.into_stream(self.config.clone()).await;
            let negotiated = stream
                .as_ref()
                .ok()
                .and_then(|s| s.get_ref().1.alpn_protocol().map(lossy));
            let handshake = Handshake {
                offered,
                negotiated,
            };
            self.handshakes.lock().unwrap().push(handshake);
            if let Ok(stream) = stream {
                return (stream, addr);
            }
        }
    }

    fn local_addr(&self) -> std::io::Result<Self::Addr> {
        self.tcp.local_addr()
    }
}

fn lossy(protocol: &[u8]) -> String {
    String::from_utf8_lossy(protocol).into_owned()
}

/// A hibob client for `server` over `backend`, trusting the server's certificate.
fn client(server: &TlsServer, backend: TlsBackend) -> Client {
    let http = tls_http_client_builder(backend, &server.cert)
        .unwrap()
        .no_proxy()
        .build()
        .unwrap();
    Client::builder()
        .service_user("SERVICE-USER-TLS", "token")
        .base_url(server.base_url())
        .http_client(http)
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap()
}

/// One request through `backend`; returns the HTTP version the server saw.
async fn served_version(server: &TlsServer, backend: TlsBackend) -> String {
    let reply: serde_json::Value = client(server, backend)
        .get_json("/version")
        .await
        .unwrap_or_else(|e| panic!("{}: {e}", backend.name()));
    reply["version"].as_str().unwrap().to_owned()
}

fn h2_and_http1() -> Vec<String> {
    vec!["h2".to_owned(), "http/1.1".to_owned()]
}

/// The handshake test every backend passes: h2 when the server offers it.
async fn negotiates_h2(backend: TlsBackend) {
    let server = TlsServer::start(&["h2", "http/1.1"]).await;
    assert_eq!(served_version(&server, backend).await, "HTTP/2.0");
    let expected = Handshake {
        offered: h2_and_http1(),
        negotiated: Some("h2".to_owned()),
    };
    assert_eq!(server.handshakes(), [expected], "{}", backend.name());
}

#[cfg(feature = "rustls")]
#[tokio::test]
async fn rustls_on_ring_negotiates_h2() {
    negotiates_h2(TlsBackend::RustlsRing).await;
}

#[cfg(feature = "rustls-aws-lc")]
#[tokio::test]
async fn rustls_on_aws_lc_negotiates_h2() {
    negotiates_h2(TlsBackend::RustlsAwsLc).await;
}

#[cfg(feature = "native-tls")]
#[tokio::test]
async fn native_tls_negotiates_h2() {
    negotiates_h2(TlsBackend::NativeTls).await;
}

#[tokio::test]
async fn every_backend_falls_back_to_http1_when_the_server_offers_only_that() {
    let server = TlsServer::start(&["http/1.1"]).await;
    for backend in TlsBackend::COMPILED {
        assert_eq!(served_version(&server, *backend).await, "HTTP/1.1");
    }
    let handshakes = server.handshakes();
    assert_eq!(handshakes.len(), TlsBackend::COMPILED.len());
    for handshake in handshakes {
        assert_eq!(handshake.offered, h2_and_http1());
        assert_eq!(handshake.negotiated.as_deref(), Some("http/1.1"));
    }
}

/// The client `ClientBuilder::build` makes itself (the selected backend, no
/// extra roots): it offers h2 and HTTP/1.1, and refuses a certificate nobody
/// vouches for before sending anything.
#[tokio::test]
async fn the_default_client_offers_h2_and_refuses_an_untrusted_certificate() {
    let server = TlsServer::start(&["h2", "http/1.1"]).await;
    let client = Client::builder()
        .service_user("SERVICE-USER-TLS", "token")
        .base_url(server.base_url())
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let err = client
        .get_json::<serde_json::Value>("/version")
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    let expected = Handshake {
        offered: h2_and_http1(),
        negotiated: None,
    };
    assert_eq!(server.handshakes_when(1).await, [expected]);
}
