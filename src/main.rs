//! The `connect-console` binary: parses the command line and runs a command.

use std::process::ExitCode;

use clap::Parser as _;
use connect_console::cli::{self, Cli};
use connect_console::i18n::{self, Localizer};

fn main() -> ExitCode {
    let started = std::time::Instant::now();
    let cli = Cli::parse();
    init_logging(cli.verbose);
    let lang_flag = cli.lang.map(|lang| lang.language());
    match cli.command {
        Some(command) => {
            // The command line follows --lang, CONNECT_LANG and the system, never the console's
            // saved setting.
            Localizer::new(i18n::startup_language(lang_flag, None)).install();
            cli::run(command)
        }
        None => {
            match connect_console::ui::run_embedded(&cli.window.start_options(lang_flag), started) {
                Ok(()) => ExitCode::SUCCESS,
                // The window installed its language on this thread before it failed.
                Err(message) => {
                    eprintln!(
                        "{}",
                        connect_console::tr!("cli-error", message = message.as_str())
                    );
                    eprintln!("{}", connect_console::tr!("cli-no-window-hint"));
                    ExitCode::FAILURE
                }
            }
        }
    }
}

/// Logs to stderr: warnings by default, each API call with `-v`, everything with `-vv`.
fn init_logging(verbose: u8) {
    let filter = match verbose {
        0 => "warn",
        1 => "warn,connect_console=debug",
        _ => "debug",
    };
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::try_new(filter).unwrap_or_default())
        .with_writer(std::io::stderr)
        .with_target(false)
        .init();
}
