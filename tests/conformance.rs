//! Keeps CONFORMANCE.md honest: every test it names exists where it says.
//! (`python3 tools/conformance.py --check`, run by CI, keeps it in step with the tests.)

use std::path::Path;

#[test]
#[cfg_attr(
    miri,
    ignore = "text search over the test sources, no library code: minutes under Miri for nothing"
)]
fn every_test_named_in_conformance_md_exists() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let table = std::fs::read_to_string(root.join("CONFORMANCE.md")).unwrap();
    let mut named = 0;
    for cell in table.split('`').skip(1).step_by(2) {
        let Some((file, test)) = cell.split_once("::") else {
            continue;
        };
        if !file.ends_with(".rs") {
            continue;
        }
        let source = std::fs::read_to_string(root.join(file))
            .unwrap_or_else(|e| panic!("CONFORMANCE.md names {file}, which cannot be read: {e}"));
        let as_fn = format!("fn {test}(");
        let as_macro_case = format!("{test},");
        assert!(
            source.contains(&as_fn) || source.contains(&as_macro_case),
            "CONFORMANCE.md names {file}::{test}, which is not a test in that file"
        );
        named += 1;
    }
    assert!(
        named > 100,
        "only {named} tests named in CONFORMANCE.md: table went missing?"
    );
}
