# Spins forever (the multi-VM tests stop it with --max-instructions).
main:   b       main
