# Shared by the compare scripts: `best CMD...` prints the best wall time in
# seconds of $RUNS runs of CMD, whose output goes to the file named by $out.
best() {
  local best=""
  for _ in $(seq "$RUNS"); do
    local t0 t1
    t0=$(date +%s.%N)
    "$@" > "$out"
    t1=$(date +%s.%N)
    best=$(python3 -c "t=$t1-$t0; b='$best'; print(t if not b or t < float(b) else b)")
  done
  echo "$best"
}
