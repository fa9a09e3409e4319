use cs_policy::{EXAMPLES, Policy};

#[test]
fn every_shipped_example_loads() {
    for (name, _) in EXAMPLES {
        if let Err(e) = Policy::example(name) {
            panic!("{name}:\n{e}");
        }
    }
}
