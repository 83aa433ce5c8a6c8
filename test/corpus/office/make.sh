#!/bin/sh
# Produces the office corpus files from ./sources with LibreOffice (headless), as README.md says.
# Needs: apt-get install -y libreoffice-calc-nogui iconv (glibc). CI does not run this: the outputs are committed.
set -eu
cd "$(dirname "$0")"
out=$(mktemp -d)
# CSV import options: comma, double quote, UTF-8 (76), from line 1 (LibreOffice's own detection of numbers and dates, as a user gets it).
csv_in='44,34,76,1'
convert() { # source, filter, options, output
  soffice --headless --norestore --infilter="$3" --convert-to "$2" --outdir "$out" "sources/$1" >/dev/null 2>&1
  mv "$out/${1%.*}.${2%%:*}" "$4"
}
convert long.csv xlsx "CSV:$csv_in" long-libreoffice.xlsx
convert short.csv xls "CSV:$csv_in" short-libreoffice.xls
convert short.csv ods "CSV:$csv_in" short-libreoffice.ods
convert long.csv ods "CSV:$csv_in" long.ods # only the source of the CSV exports below; not kept
convert unit-rows.csv xlsx "CSV:$csv_in" unit-rows.xlsx
convert parameter-rows.csv xlsx "CSV:$csv_in" parameter-rows.xlsx
soffice --headless --norestore --convert-to xlsx --outdir "$out" sources/title-template.fods >/dev/null 2>&1
mv "$out/title-template.xlsx" title-template.xlsx
# CSV as LibreOffice saves it (UTF-8), then GB18030 as Excel on a Chinese Windows saves it: LibreOffice 7.4's
# numeric character-set tokens did not give GB18030 here, so iconv converts LibreOffice's UTF-8 export.
soffice --headless --norestore --convert-to 'csv:Text - txt - csv (StarCalc):44,34,76' --outdir "$out" long.ods >/dev/null 2>&1
iconv -f UTF-8 -t GB18030 "$out/long.csv" > long-gb18030.csv
# UTF-8 with a BOM, as Excel's "CSV UTF-8" saves it: LibreOffice 7.4 writes none, so it is prepended.
{ printf '\357\273\277'; cat "$out/long.csv"; } > long-utf8-bom.csv
rm -rf "$out" long.ods
ls -l ./*.xlsx ./*.xls ./*.ods ./*.csv
