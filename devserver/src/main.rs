//! `spanscope-devserver`: parses the command line and runs the server until interrupted.
use clap::Parser;

#[tokio::main]
async fn main() {
    let args = spanscope_devserver::cli::Args::parse();
    if let Err(e) = spanscope_devserver::server::run(args).await {
        eprintln!("spanscope-devserver: {e}");
        std::process::exit(1);
    }
}
