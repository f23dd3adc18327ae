//! Typed frames of the structured session mode.
//!
//! Each frame is one JSON object on one line, tagged by `"type"` (snake_case). Text that
//! spans several lines travels as one frame, its line breaks escaped as `\n` by JSON.
//! Unknown fields are ignored so that either side can add optional fields within a
//! protocol version; an unknown `"type"` is an error.
//!
//! The frames themselves are in `client_frame` and `server_frame`, the values they carry
//! in `values` and the error codes in `error_code`, all re-exported here; this file
//! encodes and decodes them, refusing nesting deeper than any frame needs.

use serde::Serialize;
use thiserror::Error;

use crate::nesting::nesting_depth_exceeds;

/// The deepest nesting of arrays and objects a frame may have. Frames need 2 today; the
/// margin leaves room for new optional fields, and the bound keeps the recursive JSON
/// parser far from the end of a small thread stack whatever a line holds.
pub const MAX_FRAME_DEPTH: usize = 8;

mod client_frame;
mod error_code;
mod server_frame;
mod values;

pub use client_frame::ClientFrame;
pub use error_code::ErrorCode;
pub use server_frame::ServerFrame;
pub use values::{
    BanInfo, EventId, FloodBudget, HistoryReason, LeaveReason, RoomInfo, SearchMatch,
};

/// A line that is not a valid frame.
#[derive(Debug, Error)]
pub enum FrameError {
    /// Not JSON, or not a frame this side knows.
    #[error("not a valid frame: {0}")]
    Json(#[from] serde_json::Error),
    /// Arrays or objects nested deeper than any frame needs; refused before parsing, so
    /// that no line can exhaust a thread's stack in the JSON parser.
    #[error("not a valid frame: nested deeper than {MAX_FRAME_DEPTH} levels")]
    TooDeep,
}

/// Encodes a frame as one line, `\n` included, ready to write.
pub fn encode<F: Serialize>(frame: &F) -> Vec<u8> {
    let mut line = serde_json::to_vec(frame).expect("frames always serialize");
    line.push(b'\n');
    line
}

/// Decodes one line (without its line ending) sent by a client.
pub fn decode_client(line: &str) -> Result<ClientFrame, FrameError> {
    refuse_deep_nesting(line)?;
    Ok(serde_json::from_str(line)?)
}

/// Decodes one line (without its line ending) sent by the server.
pub fn decode_server(line: &str) -> Result<ServerFrame, FrameError> {
    refuse_deep_nesting(line)?;
    Ok(serde_json::from_str(line)?)
}

fn refuse_deep_nesting(line: &str) -> Result<(), FrameError> {
    if nesting_depth_exceeds(line, MAX_FRAME_DEPTH) {
        Err(FrameError::TooDeep)
    } else {
        Ok(())
    }
}

/// Parses a plain-text `ERROR code: reason` line, the form in which the server refuses a
/// connection before it knows the session mode (server full, too many connections).
pub fn parse_refusal(line: &str) -> Option<(&str, &str)> {
    let rest = line.strip_prefix("ERROR ")?;
    rest.split_once(": ")
}

#[cfg(test)]
mod tests;
