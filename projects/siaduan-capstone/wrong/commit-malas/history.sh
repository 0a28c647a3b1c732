# A trainee who did everything, then pushed it all as one commit with a lazy message.
cp -R "$SOLUSI/." .
git add -A
git commit -q -m "update"
