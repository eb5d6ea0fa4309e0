#include "workers.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>

#include "guard.h"
#include "sluice/sluice.h"

enum job_state { JOB_FREE, JOB_FILLING, JOB_READY, JOB_BUSY, JOB_DONE };

typedef struct job_slot {
    void *job;
    enum job_state state;
    uint64_t seq; /* submission number, while READY, BUSY or DONE */
} job_slot;

typedef struct worker {
    slc_workers *pool;
    size_t number;
    pthread_t thread;
} worker;

struct slc_workers {
    pthread_mutex_t lock;
    pthread_cond_t work_ready; /* a job became READY, or the pool is stopping */
    pthread_cond_t work_done;  /* a job became DONE */
    job_slot *slots;
    size_t nslots;
    int ordered;
    uint64_t next_submit, next_take, next_retire;
    size_t in_flight;
    int stopping;
    slc_work_fn work;
    void *ctx;
    worker *workers;
    size_t nworkers;
};

static job_slot *slot_of(slc_workers *w, const void *job) {
    for (size_t i = 0; i < w->nslots; i++)
        if (w->slots[i].job == job)
            return &w->slots[i];
    return NULL;
}

/* The READY slot with the lowest submission number: the next in input order. */
static job_slot *next_ready(slc_workers *w) {
    for (size_t i = 0; i < w->nslots; i++)
        if (w->slots[i].state == JOB_READY && w->slots[i].seq == w->next_take)
            return &w->slots[i];
    return NULL;
}

static void *worker_main(void *arg) {
    worker *me = arg;
    slc_workers *w = me->pool;
    slc_guard_thread_start();
    pthread_mutex_lock(&w->lock);
    for (;;) {
        job_slot *s;
        while (!(s = next_ready(w)) && !w->stopping)
            pthread_cond_wait(&w->work_ready, &w->lock);
        if (!s)
            break;
        s->state = JOB_BUSY;
        w->next_take++;
        pthread_mutex_unlock(&w->lock);
        w->work(w->ctx, me->number, s->job);
        pthread_mutex_lock(&w->lock);
        s->state = JOB_DONE;
        pthread_cond_broadcast(&w->work_done);
    }
    pthread_mutex_unlock(&w->lock);
    slc_guard_thread_end();
    return NULL;
}

int slc_workers_start(slc_workers **out, size_t nworkers, void **jobs, size_t njobs, int ordered,
                      slc_work_fn work, void *ctx) {
    *out = NULL;
    slc_workers *w = calloc(1, sizeof *w);
    if (!w)
        return SL_ENOMEM;
    w->slots = calloc(njobs, sizeof *w->slots);
    w->workers = calloc(nworkers, sizeof *w->workers);
    if (!w->slots || !w->workers) {
        free(w->slots);
        free(w->workers);
        free(w);
        return SL_ENOMEM;
    }
    for (size_t i = 0; i < njobs; i++)
        w->slots[i].job = jobs[i];
    w->nslots = njobs;
    w->ordered = ordered;
    w->work = work;
    w->ctx = ctx;
    pthread_mutex_init(&w->lock, NULL);
    pthread_cond_init(&w->work_ready, NULL);
    pthread_cond_init(&w->work_done, NULL);
    for (size_t i = 0; i < nworkers; i++) {
        w->workers[i] = (worker){w, i, 0};
        if (pthread_create(&w->workers[i].thread, NULL, worker_main, &w->workers[i]) != 0) {
            w->nworkers = i;
            slc_workers_stop(w);
            return SL_EIO;
        }
        w->nworkers = i + 1;
    }
    *out = w;
    return SL_OK;
}

void *slc_workers_acquire(slc_workers *w) {
    void *job = NULL;
    pthread_mutex_lock(&w->lock);
    for (size_t i = 0; i < w->nslots && !job; i++)
        if (w->slots[i].state == JOB_FREE) {
            w->slots[i].state = JOB_FILLING;
            job = w->slots[i].job;
        }
    pthread_mutex_unlock(&w->lock);
    return job;
}

void slc_workers_unacquire(slc_workers *w, void *job) {
    pthread_mutex_lock(&w->lock);
    slot_of(w, job)->state = JOB_FREE;
    pthread_mutex_unlock(&w->lock);
}

void slc_workers_submit(slc_workers *w, void *job) {
    pthread_mutex_lock(&w->lock);
    job_slot *s = slot_of(w, job);
    s->seq = w->next_submit++;
    s->state = JOB_READY;
    w->in_flight++;
    pthread_cond_signal(&w->work_ready);
    pthread_mutex_unlock(&w->lock);
}

/* The slot to retire now, or NULL. */
static job_slot *retirable(slc_workers *w) {
    for (size_t i = 0; i < w->nslots; i++) {
        job_slot *s = &w->slots[i];
        if (s->state == JOB_DONE && (!w->ordered || s->seq == w->next_retire))
            return s;
    }
    return NULL;
}

void *slc_workers_retire(slc_workers *w, int wait) {
    void *job = NULL;
    pthread_mutex_lock(&w->lock);
    for (;;) {
        job_slot *s = w->in_flight ? retirable(w) : NULL;
        if (s) {
            s->state = JOB_FILLING; /* held by the caller until released */
            if (s->seq == w->next_retire)
                w->next_retire++;
            w->in_flight--;
            job = s->job;
            break;
        }
        if (!wait || !w->in_flight)
            break;
        pthread_cond_wait(&w->work_done, &w->lock);
    }
    pthread_mutex_unlock(&w->lock);
    return job;
}

void slc_workers_release(slc_workers *w, void *job) {
    slc_workers_unacquire(w, job);
}

size_t slc_workers_cancel_pending(slc_workers *w) {
    size_t n = 0;
    pthread_mutex_lock(&w->lock);
    for (size_t i = 0; i < w->nslots; i++)
        if (w->slots[i].state == JOB_READY) {
            w->slots[i].state = JOB_FREE;
            n++;
        }
    w->in_flight -= n;
    /* Workers take jobs by number: skip the numbers that were dropped. */
    w->next_take = w->next_submit;
    pthread_mutex_unlock(&w->lock);
    return n;
}

void slc_workers_stop(slc_workers *w) {
    if (!w)
        return;
    pthread_mutex_lock(&w->lock);
    w->stopping = 1;
    pthread_cond_broadcast(&w->work_ready);
    pthread_mutex_unlock(&w->lock);
    for (size_t i = 0; i < w->nworkers; i++)
        pthread_join(w->workers[i].thread, NULL);
    pthread_mutex_destroy(&w->lock);
    pthread_cond_destroy(&w->work_ready);
    pthread_cond_destroy(&w->work_done);
    free(w->workers);
    free(w->slots);
    free(w);
}
