//! The rules of the hearing round, without IO: states and transitions, and who may do what.
//! The store persists what these functions decide; the HTTP layer asks them.

pub mod approval;
pub mod hearing;
pub mod policy;
