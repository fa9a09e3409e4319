fn main() {
    for f in std::env::args().skip(1) {
        match cs_policy::Policy::from_path(&f) {
            Ok(_) => println!("{f}: ok"),
            Err(e) => println!("{e}"),
        }
    }
}
