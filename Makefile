# stance: `make` builds bin/stance; `make demo` scores the sample article;
# `make test` runs every test; `make asan` runs them under AddressSanitizer
# and UBSan; `make model` retrains models/default; `make install PREFIX=...`.

CC       ?= cc
PREFIX   ?= /usr/local
CFLAGS   ?= -O2 -g
WARN     := -std=c11 -D_GNU_SOURCE -Wall -Wextra -Wshadow -Wstrict-prototypes \
            -Wmissing-prototypes -Werror
LIBS     := -lsvm -lstemmer -lutf8proc -lm -pthread
PACKAGES := gcc make libc6-dev libsvm-dev libstemmer-dev libutf8proc-dev

LIB_SRC  := alloc error text segment furniture strmap tokens stem lexicon features sentiment gazetteer attribute context quotes gram svmfile model aggregate walk batch dataset \
            metrics train score output
HEADERS  := $(wildcard engine/*.h)

OBJ      := $(LIB_SRC:%=build/obj/%.o)
ASAN_OBJ := $(LIB_SRC:%=build/asan/%.o)
SANITIZE := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

.PHONY: all deps slurm-deps demo test asan valgrind slurm-test bench model install clean

all: bin/stance

# Installs missing Debian packages as root, otherwise prints the command.
deps:
	@missing=""; \
	for p in $(PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "stance: installing Debian packages:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq$$missing >/dev/null \
	      || { echo "stance: apt-get install failed"; exit 1; }; \
	  else \
	    echo "stance needs Debian packages that are missing. Run:"; \
	    echo "  sudo apt-get install -y$$missing"; \
	    exit 1; \
	  fi; \
	fi

# The Slurm test needs a scheduler and munge: installed like the libraries.
SLURM_PACKAGES := slurm-wlm munge
slurm-deps:
	@$(MAKE) -s deps PACKAGES="$(SLURM_PACKAGES)"

build/obj/%.o: engine/%.c $(HEADERS) | deps
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(WARN) -c $< -o $@

build/asan/%.o: engine/%.c $(HEADERS) | deps
	@mkdir -p $(@D)
	$(CC) -O1 -g $(SANITIZE) $(WARN) -c $< -o $@

build/libstance.a: $(OBJ)
	ar rcs $@ $^

build/libstance-asan.a: $(ASAN_OBJ)
	ar rcs $@ $^

bin/stance: engine/main.c build/libstance.a $(HEADERS)
	@mkdir -p bin
	$(CC) $(CFLAGS) $(WARN) engine/main.c build/libstance.a $(LIBS) -o $@

bin/stance-asan: engine/main.c build/libstance-asan.a $(HEADERS)
	@mkdir -p bin
	$(CC) -O1 -g $(SANITIZE) $(WARN) engine/main.c build/libstance-asan.a $(LIBS) -o $@

build/unit_tests: tests/unit_tests.c tests/check.h build/libstance.a $(HEADERS)
	$(CC) $(CFLAGS) $(WARN) -iquote engine tests/unit_tests.c build/libstance.a $(LIBS) -o $@

build/unit_tests-asan: tests/unit_tests.c tests/check.h build/libstance-asan.a $(HEADERS)
	$(CC) -O1 -g $(SANITIZE) $(WARN) -iquote engine tests/unit_tests.c build/libstance-asan.a $(LIBS) -o $@

demo: bin/stance
	./bin/stance score tests/fixtures/sample-article.txt

test: bin/stance build/unit_tests
	./build/unit_tests .
	sh tests/cli.sh ./bin/stance

asan: bin/stance-asan build/unit_tests-asan
	ASAN_OPTIONS=detect_leaks=1 ./build/unit_tests-asan .
	ASAN_OPTIONS=detect_leaks=1 sh tests/cli.sh ./bin/stance-asan

# The end-to-end tests with every call under valgrind (slow: minutes).
valgrind: bin/stance
	RUN="valgrind -q --error-exitcode=99 --leak-check=full" sh tests/cli.sh ./bin/stance

# A one-node Slurm cluster, the job array of scripts/slurm and its merge.
slurm-test: bin/stance slurm-deps
	sh tests/slurm.sh ./bin/stance

bench: bin/stance
	sh scripts/bench.sh ./bin/stance

# Retrains the shipped model from the train split; the result is reproducible.
model: bin/stance
	./bin/stance train training/train.tsv -o models/default

install: bin/stance
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/stance/models/default \
	           $(DESTDIR)$(PREFIX)/share/stance/lexicons
	install -m 755 bin/stance $(DESTDIR)$(PREFIX)/bin/stance
	install -m 644 models/default/* $(DESTDIR)$(PREFIX)/share/stance/models/default/
	install -m 644 lexicons/* $(DESTDIR)$(PREFIX)/share/stance/lexicons/

clean:
	rm -rf build bin
