//! The accept loop, with what axum's `serve` lacks against clients that never finish: a connection cap
//! (past it a new connection gets a 503 and is closed, so unfinished requests cannot lock everyone out), a
//! header-read timeout (hyper's, which also runs while a kept-alive connection waits for its next request)
//! and an idle timeout (no request being handled and no byte moving either way).
use axum::body::Body;
use axum::Router;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, ReadBuf};
use tokio::net::{TcpListener, TcpSocket, TcpStream};
use tokio::sync::{watch, Semaphore};
use tokio::time::{Instant, Sleep};
use tower::ServiceExt;

/// How many connections are served at once and how long they may dawdle.
#[derive(Debug, Clone, Copy)]
pub struct ConnectionLimits {
    pub max_connections: usize,
    pub header_timeout: Duration,
    pub idle_timeout: Duration,
}

/// What a connection past the cap is told before it is closed.
fn over_capacity(max_connections: usize) -> Vec<u8> {
    let body = format!("Too many connections (--max-connections {max_connections}); retry shortly\n");
    format!(
        "HTTP/1.1 503 Service Unavailable\r\ncontent-type: text/plain; charset=utf-8\r\ncontent-length: {}\r\n\
         retry-after: 1\r\nconnection: close\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

/// Binds a listener with a deep accept queue: std's (and so tokio's `bind`) is 128, which a burst of
/// connections overflows, each dropped SYN then costing its client a one-second retransmit.
pub fn bind(addr: SocketAddr) -> io::Result<TcpListener> {
    let socket = if addr.is_ipv4() { TcpSocket::new_v4()? } else { TcpSocket::new_v6()? };
    socket.set_reuseaddr(true)?;
    socket.bind(addr)?;
    socket.listen(4096)
}

/// Serves `app` on `listener` until `shutdown` resolves; open connections then finish their request.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    limits: ConnectionLimits,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    let serving = Arc::new(Semaphore::new(limits.max_connections));
    // Refusals are cheap but not free: past a quarter as many again at once (a flood of over a thousand a
    // second), a connection is dropped without a word. Served and refused together stay well under a
    // desktop's 1,024 descriptors with the defaults.
    let refusing = Arc::new(Semaphore::new((limits.max_connections / 4).max(16)));
    let refusal: Arc<[u8]> = over_capacity(limits.max_connections).into();
    let (stop, stopped) = watch::channel(false);
    tokio::pin!(shutdown);
    loop {
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(e) => {
                    // Out of file descriptors, most likely: wait for connections to close rather than spin.
                    eprintln!("accept failed: {e}");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        if let Ok(permit) = serving.clone().try_acquire_owned() {
            let app = app.clone();
            let stopped = stopped.clone();
            tokio::spawn(async move {
                serve_connection(stream, app, limits, stopped).await;
                drop(permit);
            });
        } else if let Ok(permit) = refusing.clone().try_acquire_owned() {
            let refusal = refusal.clone();
            tokio::spawn(async move {
                refuse(stream, &refusal).await;
                drop(permit);
            });
        }
    }
    let _ = stop.send(true);
    Ok(())
}

/// Answers 503 and closes, reading what the client sends meanwhile (closing on unread bytes would reset the
/// connection and could lose the answer); a tenth of a second at most, so refusals hold few descriptors.
async fn refuse(mut stream: TcpStream, refusal: &[u8]) {
    let _ = tokio::time::timeout(Duration::from_millis(100), async {
        stream.write_all(refusal).await?;
        stream.shutdown().await?;
        let mut sink = [0u8; 4096];
        let mut drained = 0;
        while drained < 64 * 1024 {
            let n = stream.read(&mut sink).await?;
            if n == 0 {
                break;
            }
            drained += n;
        }
        io::Result::Ok(())
    })
    .await;
}

async fn serve_connection(
    stream: TcpStream,
    app: Router,
    limits: ConnectionLimits,
    mut stopped: watch::Receiver<bool>,
) {
    let _ = stream.set_nodelay(true);
    let in_flight = Arc::new(AtomicUsize::new(0));
    let io = TokioIo::new(IdleTimeout::new(stream, limits.idle_timeout, in_flight.clone()));
    let service = hyper::service::service_fn(move |request: hyper::Request<hyper::body::Incoming>| {
        let app = app.clone();
        let in_flight = InFlight::enter(in_flight.clone());
        async move {
            let response = app.oneshot(request.map(Body::new)).await;
            drop(in_flight);
            response
        }
    });
    let connection = http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout)
        .serve_connection(io, service);
    tokio::pin!(connection);
    tokio::select! {
        _ = connection.as_mut() => {}
        _ = stopped.changed() => {
            connection.as_mut().graceful_shutdown();
            let _ = connection.await;
        }
    }
}

/// A request being handled on a connection, counted while it lives (the idle clock stands still then).
struct InFlight(Arc<AtomicUsize>);

impl InFlight {
    fn enter(count: Arc<AtomicUsize>) -> InFlight {
        count.fetch_add(1, Ordering::SeqCst);
        InFlight(count)
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// A stream that fails with `TimedOut` once no byte has moved either way for `timeout` while no request
/// is being handled: hyper then closes the connection.
struct IdleTimeout<S> {
    inner: S,
    timeout: Duration,
    deadline: Pin<Box<Sleep>>,
    in_flight: Arc<AtomicUsize>,
}

impl<S> IdleTimeout<S> {
    fn new(inner: S, timeout: Duration, in_flight: Arc<AtomicUsize>) -> IdleTimeout<S> {
        IdleTimeout { inner, timeout, deadline: Box::pin(tokio::time::sleep(timeout)), in_flight }
    }

    /// After an operation on the stream: activity pushes the deadline back; waiting while idle checks it.
    fn after<T>(&mut self, cx: &mut Context<'_>, polled: Poll<io::Result<T>>) -> Poll<io::Result<T>> {
        if polled.is_ready() || self.in_flight.load(Ordering::SeqCst) > 0 {
            self.deadline.as_mut().reset(Instant::now() + self.timeout);
            return polled;
        }
        match self.deadline.as_mut().poll(cx) {
            Poll::Ready(()) => Poll::Ready(Err(io::Error::new(io::ErrorKind::TimedOut, "idle connection"))),
            Poll::Pending => Poll::Pending,
        }
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for IdleTimeout<S> {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        let polled = Pin::new(&mut self.inner).poll_read(cx, buf);
        self.after(cx, polled)
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for IdleTimeout<S> {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, data: &[u8]) -> Poll<io::Result<usize>> {
        let polled = Pin::new(&mut self.inner).poll_write(cx, data);
        self.after(cx, polled)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let polled = Pin::new(&mut self.inner).poll_flush(cx);
        self.after(cx, polled)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let polled = Pin::new(&mut self.inner).poll_write_vectored(cx, bufs);
        self.after(cx, polled)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }
}
