#!/usr/bin/env bash
# The keys of the offline sync: `sync keygen` makes a database's key pairs
# (an admin only, once unless --replace), keeps the secret halves in the
# database and prints the public half as the lines a peer adds to its
# sites.ini, with a fingerprint; `sync key` prints them again; the
# district's check-config takes the pasted lines, and refuses a damaged key.
source "$(dirname "$0")/lib.sh"
setup

run init
expect_status 0 "init"

run sync key
expect_status 1 "sync key before any keygen fails (status 1)"
expect_err "talentreg sync keygen" "  and says what to run"

run --as officer_ny sync keygen
expect_status 3 "an officer may not make the keys"
run --as supervisor sync keygen
expect_status 3 "nor a supervisor"
expect_eq "$(sqlite3 "$DB" 'SELECT count(*) FROM sync_keys')" 0 "  and none were made"

run sync keygen
expect_status 0 "an admin makes the keys"
expect_out "[site.district]" "  printed as a section of sites.ini, named by the site id"
expect_out "kind = district" "  with the database's kind"
key=$(printf '%s\n' "$out" | sed -n 's/^public_key = //p')
expect_eq "${#key}" 86 "  and a public key of 86 characters"
fp=$(printf '%s\n' "$out" | sed -n 's/.*指纹 \([0-9a-f-]*\).*/\1/p')
expect_eq "${#fp}" 19 "  and its fingerprint"
expect_eq "$(sqlite3 "$DB" 'SELECT count(*), length(sign_sk), length(box_sk) FROM sync_keys')" "1|64|32" \
	"the secret keys are in the database"
secret=$(sqlite3 "$DB" 'SELECT hex(sign_sk) FROM sync_keys')
if printf '%s' "$out" | grep -qi "${secret:0:40}"; then _fail "the secret key is printed"; else _ok "the secret key is never printed"; fi
expect_eq "$(ls "$WORK/data" | grep -v '^talentreg\.db\(-wal\|-shm\)\?$')" "" "  and no key file is written"
expect_eq "$(sqlite3 "$DB" "SELECT count(*) FROM audit WHERE action = 'sync_keygen' AND comment LIKE '%$fp%'")" 1 \
	"the audit records the keygen with the fingerprint"

run sync keygen
expect_status 1 "a second keygen is refused (status 1)"
expect_err "--replace" "  and names --replace"
run --as officer_ny sync key
expect_status 0 "anyone may print the public key"
expect_eq "$(printf '%s\n' "$out" | sed -n 's/^public_key = //p')" "$key" "  the same key"
expect_out "$fp" "  with the same fingerprint"

err=$(sqlite3 "$DB" "UPDATE sync_keys SET made_by = 'x'" 2>&1)
expect_eq "$(printf '%s' "$err" | grep -c 'never changed')" 1 "the keys table refuses a change"
err=$(sqlite3 "$DB" "DELETE FROM sync_keys" 2>&1)
expect_eq "$(printf '%s' "$err" | grep -c 'kept')" 1 "  and a deletion"

run sync keygen --replace
expect_status 0 "keygen --replace makes new keys"
new=$(printf '%s\n' "$out" | sed -n 's/^public_key = //p')
if [ "$new" != "$key" ] && [ ${#new} -eq 86 ]; then _ok "  a new public key"; else _fail "  a new public key ($new)"; fi
expect_eq "$(sqlite3 "$DB" 'SELECT count(*) FROM sync_keys')" 2 "  the old pair is kept (it opens bundles sealed to it)"

# --- a site's lines pasted into the district's sites.ini -----------------------
cp -r "$WORK/config" "$WORK/cfg_site"
mkdir "$WORK/data_site"
sed -i 's/^id = .*/id = site_ny/; s/^name = .*/name = 宁远堡镇培训点/; s/^kind = .*/kind = site/' \
	"$WORK/cfg_site/talentreg.ini"
run --config "$WORK/cfg_site" --db "$WORK/data_site/site.db" init
run --config "$WORK/cfg_site" --db "$WORK/data_site/site.db" sync keygen
expect_out "[site.site_ny]" "a site's keygen names the site"
expect_out "kind = site" "  as a site"
expect_out "townships =" "  with townships for the district to fill in"
site_fp=$(printf '%s\n' "$out" | sed -n 's/.*指纹 \([0-9a-f-]*\).*/\1/p')
printf '%s\n' "$out" >>"$WORK/config/sites.ini"
run check-config
expect_status 4 "the district's check-config wants the site's townships"
expect_err "site_ny 缺少 townships" "  and says so"
sed -i 's/^townships =$/townships = 宁远堡镇/' "$WORK/config/sites.ini"
run check-config
expect_status 0 "with them, the pasted lines are a good declaration"
expect_out "培训点 site_ny（宁远堡镇培训点，可登记：宁远堡镇）的公钥指纹 $site_fp" \
	"  check-config shows the declared key's fingerprint, the one the site read out"
sed -i 's/^\(public_key = .\{20\}\)./\1!/' "$WORK/config/sites.ini"
run check-config
expect_status 4 "a damaged public key is refused"
expect_err "public_key 不是" "  as not a key"
expect_err "sites.ini:" "  with its file and line"
