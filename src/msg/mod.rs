//! Message types of the C-V2X message sets, generated from the ASN.1 modules in `asn1/`.
