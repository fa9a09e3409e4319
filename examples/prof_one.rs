fn main() {
    let args: Vec<String> = std::env::args().collect();
    let text = cs_policy::EXAMPLES
        .iter()
        .find(|(n, _)| *n == args[1])
        .unwrap()
        .1;
    let n: usize = args[2].parse().unwrap();
    let parse_only = args.get(3).is_some_and(|m| m == "parse");
    for _ in 0..n {
        if parse_only {
            std::hint::black_box(toml::de::DeTable::parse_recoverable(text));
        } else {
            std::hint::black_box(cs_policy::Policy::from_toml_str("x", text).is_ok());
        }
    }
}
