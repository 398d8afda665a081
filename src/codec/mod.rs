//! ASN.1 codec runtime: the unaligned PER bit reader and writer used by the generated message code,
//! decode limits and typed errors.
